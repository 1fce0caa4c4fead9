// The courier's scan page: camera or typed numbers, one item at a time or a whole bag into one event,
// every scan queued offline-first for the courier logged in and sent when the network allows, under
// that courier's login only (login.js). Its words are in the page (courier_scan.html), so the
// service worker's offline copy has them too.
import { word } from "../words.js";
import * as login from "./login.js";
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

// What the typed number's check (s10.js validate) says; nothing while it is still being typed.
const checked = (result) => (result === "incomplete" ? "" : word(`number_${result}`));

function say(text, kind = "info") {
  const box = $("scan-message");
  box.textContent = text;
  box.dataset.kind = kind;
}

function item(text, tag = "li", className = "") {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

// A page of an earlier login (the offline copy, an old tab) says so and does nothing else.
function courier() {
  const owner = login.current();
  const stale = $("login-stale");
  stale.hidden = Boolean(owner);
  if (!owner) {
    const name = login.ofPage()?.name || "";
    stale.replaceChildren(item(word("stale_page", { name }), "p"));
  }
  return owner;
}

function others(entries, owner) {
  return queue.waitingForOthers(entries, owner && owner.user).map((o) => item(word(
    `others_${o.user === null ? "unknown" : "waiting"}_${o.waiting === 1 ? "one" : "many"}`,
    { n: o.waiting, name: o.name })));
}

async function refreshCounts() {
  const owner = courier();
  const entries = await queue.all();
  const mine = entries.filter((e) => owner && e.user === owner.user);
  const c = queue.counts(mine);
  $("queue-waiting").textContent = c.waiting;
  $("queue-sent").textContent = c.sent;
  $("queue-refused").textContent = c.refused;
  $("refused-list").replaceChildren(...mine.filter((e) => e.state === "refused")
    .map((e) => item(`${e.body.tracking_number}: ${e.detail}`)));
  $("queue-others").replaceChildren(...others(entries, owner));
}

async function sync() {
  const owner = courier();
  if (!owner) { await refreshCounts(); return; }
  if (!navigator.onLine) return;
  try { await queue.sync(csrf, owner.user); } catch (error) { console.warn("sync failed, will retry", error); }
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
  const owner = courier();
  if (!owner) { signals.problem(); say(word("earlier_login"), "warn"); return; }
  const event = $("bag-event").value;
  if (seen.has(`${event}:${number}`)) { signals.problem(); say(word("duplicate", { number }), "warn"); return; }
  seen.add(`${event}:${number}`);
  await queue.add(scanBody(number, event), owner);
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
  if (!number) { signals.problem(); say(word("not_a_number"), "warn"); return; }
  handle(number);
}

function wireManualEntry() {
  const input = $("manual-number");
  input.addEventListener("input", () => { $("manual-check").textContent = checked(validate(input.value)); });
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
    if (stopCamera) { stopCamera(); stopCamera = null; $("camera-toggle").textContent = word("camera_start"); return; }
    try {
      stopCamera = await startScanner($("camera"), onCode);
      $("camera-toggle").textContent = word("camera_stop");
    } catch (error) {
      say(word("camera_unavailable", { error: error.message }), "warn");
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
window.addEventListener("pageshow", (event) => { if (event.persisted) refreshCounts(); });  // back button
window.courierQueue = {
  sync, replayAll: async () => { await queue.sync(csrf, courier()?.user, { everything: true }); await refreshCounts(); },
};
refreshCounts().then(sync);
