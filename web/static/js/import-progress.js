// Polls the import's progress and updates the bar; reloads once to show the per-row errors (or why
// it failed) when it ends. Its words come from the page (counter/import_run.html).
import { word } from "./words.js";

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
    counts.textContent = word("counts", {
      processed: p.processed, total: p.total, created: p.created, existing: p.existing, failed: p.failed,
    });
    if (ended(p.state)) { window.location.reload(); } else { setTimeout(poll, 1000); }
  }
  poll();
})();
