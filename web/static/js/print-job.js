// Polls a background print job's status JSON and shows progress, then the download link. Its
// words come from the page (printing/job.html, words.js).
import { word } from "./words.js";

const box = document.getElementById("print-job");
const progress = document.getElementById("job-progress");
const state = document.getElementById("job-state");
const download = document.getElementById("job-download");
const error = document.getElementById("job-error");

function stateName(job) {
  const key = `state_${job.state}`;
  const name = word(key);
  return name === key ? job.state : name;
}

function show(job) {
  progress.max = job.total;
  progress.value = job.done;
  state.textContent = `${stateName(job)} — ${job.done}/${job.total}`;
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
    state.textContent += ` (${word("retrying")})`;
  }
  setTimeout(poll, 1000);
}

if (box) poll();
