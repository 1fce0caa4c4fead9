// Polls the import's progress and updates the bar; reloads once to show the per-row errors when done.
(() => {
  const box = document.getElementById("import-progress");
  if (!box || box.dataset.state === "done") return;
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
    if (p.state === "done") { window.location.reload(); } else { setTimeout(poll, 1000); }
  }
  poll();
})();
