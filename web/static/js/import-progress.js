// Polls the import's progress and updates the bar; reloads once to show the per-row errors (or why
// it failed) when it ends.
(() => {
  const box = document.getElementById("import-progress");
  const ended = (state) => state === "done" || state === "failed";
  if (!box || ended(box.dataset.state)) return;
  const bar = document.getElementById("import-bar");
  const counts = document.getElementById("import-counts");
  async function poll() {
    const response = await fetch(box.dataset.url, { credentials: "same-origin" });
    if (!response.ok) { setTimeout(poll, 3000); return; }
    const p = await response.json();
    bar.max = p.total || 1;
    bar.value = p.processed;
    counts.textContent = `${p.processed} / ${p.total} dòng / rows · tạo mới / created ${p.created} · ` +
      `đã có / existing ${p.existing} · lỗi / failed ${p.failed}`;
    if (ended(p.state)) { window.location.reload(); } else { setTimeout(poll, 1000); }
  }
  poll();
})();
