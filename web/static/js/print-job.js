// Polls a background print job's status JSON and shows progress, then the download link.
(function () {
  const box = document.getElementById("print-job");
  if (!box) return;
  const progress = document.getElementById("job-progress");
  const state = document.getElementById("job-state");
  const download = document.getElementById("job-download");
  const error = document.getElementById("job-error");

  function show(job) {
    progress.max = job.total;
    progress.value = job.done;
    state.textContent = `${job.state} — ${job.done}/${job.total}`;
    if (job.download_url) {
      download.href = job.download_url;
      download.hidden = false;
    }
    if (job.error) {
      error.textContent = job.error;
      error.hidden = false;
    }
    return job.state === "done" || job.state === "failed";
  }

  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { credentials: "same-origin" });
      if (response.ok && show(await response.json())) return;
    } catch (e) {
      state.textContent += " (mất kết nối, đang thử lại / connection lost, retrying)";
    }
    setTimeout(poll, 1000);
  }
  poll();
})();
