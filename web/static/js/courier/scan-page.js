// The courier's scan page: camera or typed numbers, one item at a time or a whole bag into one event,
// every scan queued offline-first and sent when the network allows.
import * as queue from "./queue.js";
import { startScanner } from "./scanner.js";
import { fromScan, normalise, validate } from "./s10.js";
import * as signals from "./signals.js";

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const $ = (id) => document.getElementById(id);
const seen = new Set();
let stopCamera = null;
let lastCode = { text: "", at: 0 };
let position = null;

const MESSAGES = {
  incomplete: "", ok: "✓ Số hiệu hợp lệ / valid", shape: "✗ Dạng AA123456789VN / must look like AA123456789VN",
  check: "✗ Sai số kiểm tra, nhập lại / wrong check digit, retype",
};

function say(text, kind = "info") {
  const box = $("scan-message");
  box.textContent = text;
  box.dataset.kind = kind;
}

async function refreshCounts() {
  const entries = await queue.all();
  const c = queue.counts(entries);
  $("queue-waiting").textContent = c.waiting;
  $("queue-sent").textContent = c.sent;
  $("queue-refused").textContent = c.refused;
  const refused = $("refused-list");
  refused.replaceChildren(...entries.filter((e) => e.state === "refused").map((e) => {
    const li = document.createElement("li");
    li.textContent = `${e.body.tracking_number}: ${e.detail}`;
    return li;
  }));
}

async function sync() {
  if (!navigator.onLine) return;
  try { await queue.sync(csrf); } catch (error) { console.warn("sync failed, will retry", error); }
  await refreshCounts();
}

function scanBody(number, event) {
  const body = { event_id: crypto.randomUUID(), tracking_number: number, event, occurred_at: new Date().toISOString() };
  if (position) { body.lat = position.latitude; body.lon = position.longitude; }
  return body;
}

async function handle(number) {
  if ($("mode").value === "open") {
    window.location.href = `/courier/items/${number}`;
    return;
  }
  const event = $("bag-event").value;
  if (seen.has(`${event}:${number}`)) { signals.problem(); say(`Đã quét rồi / duplicate: ${number}`, "warn"); return; }
  seen.add(`${event}:${number}`);
  await queue.add(scanBody(number, event));
  signals.ok();
  say(`✓ ${number}`, "ok");
  const li = document.createElement("li");
  li.textContent = number;
  $("bag-list").prepend(li);
  $("bag-count").textContent = seen.size;
  await refreshCounts();
  sync();
}

function onCode(text) {
  const now = Date.now();
  if (text === lastCode.text && now - lastCode.at < 2500) return;  // the same label still in view
  lastCode = { text, at: now };
  if (/^BK\d{6}-\d{5}$/.test(text)) {  // a handover manifest: the clerk accepts all its items on its page
    window.location.href = `/counter/manifests/${text}`;
    return;
  }
  const number = fromScan(text);
  if (!number) { signals.problem(); say(`Mã không phải số hiệu bưu gửi / not a tracking number`, "warn"); return; }
  handle(number);
}

function wireManualEntry() {
  const input = $("manual-number");
  input.addEventListener("input", () => { $("manual-check").textContent = MESSAGES[validate(input.value)]; });
  $("manual-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (validate(input.value) !== "ok") { signals.problem(); return; }
    handle(normalise(input.value));
    input.value = "";
    $("manual-check").textContent = "";
  });
}

function wireCamera() {
  $("camera-toggle").addEventListener("click", async () => {
    if (stopCamera) { stopCamera(); stopCamera = null; $("camera-toggle").textContent = "Bật camera / Start camera"; return; }
    try {
      stopCamera = await startScanner($("camera"), onCode);
      $("camera-toggle").textContent = "Tắt camera / Stop camera";
    } catch (error) {
      say(`Không mở được camera / camera unavailable: ${error.message}`, "warn");
    }
  });
}

function wireModes() {
  const update = () => { $("bag-options").hidden = $("mode").value !== "bag"; };
  $("mode").addEventListener("change", update);
  update();
}

wireManualEntry();
wireCamera();
wireModes();
$("sync-now").addEventListener("click", sync);
window.addEventListener("online", sync);
setInterval(sync, 30000);
if (navigator.geolocation) {
  navigator.geolocation.watchPosition((p) => { position = p.coords; }, () => {}, { maximumAge: 60000 });
}
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/courier/sw.js", { scope: "/courier/" });
window.courierQueue = { sync, replayAll: async () => { await queue.sync(csrf, { everything: true }); await refreshCounts(); } };
refreshCounts().then(sync);
