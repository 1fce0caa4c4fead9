// The delivery form's "Scan ID card": the camera reads the citizen's CCCD QR (scanner.js, the same
// decoder as the scan page; the vendored ZXing is loaded only when the camera opens), id-card.js
// parses it here, and only the name and the last 4 digits go into the form. For relation self the
// page says whether the digits match those the agency sent (compared by digest, id-card.js).
import { startScanner } from "./scanner.js";
import { digitsCheck, readIdCard } from "./id-card.js";

const box = document.querySelector(".id-card");
const form = box.closest("form");
const field = (name) => form.querySelector(`[name="${name}"]`);
const $ = (id) => document.getElementById(id);
let stopCamera = null;
let reading = null;

function say(text, kind = "info") {
  const message = $("id-card-message");
  message.textContent = text;
  message.dataset.kind = kind;
}

function loadDecoder() {
  if ("BarcodeDetector" in window || window.ZXing) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = box.dataset.decoder;
    script.onload = resolve;
    script.onerror = () => reject(new Error("decoder not loaded"));
    document.head.append(script);
  });
}

function closeCamera() {
  if (stopCamera) stopCamera();
  stopCamera = null;
  $("id-card-scanner").hidden = true;
}

// What the page says of the card read, for the relation chosen now.
async function judge() {
  if (!reading) return;
  const who = `${reading.name} · CCCD …${reading.idLast4}`;
  if (field("relation").value === "proxy") { say(`✓ Người nhận thay / proxy: ${who}`, "ok"); return; }
  const onFile = box.dataset.digitsCheck;
  if (!onFile) { say(`✓ ${who} (hồ sơ không có số CCCD / the agency sent no ID digits)`, "ok"); return; }
  const matches = (await digitsCheck(box.dataset.trackingNumber, reading.idLast4)) === onFile;
  say(matches ? `✓ ${who}: khớp CCCD người nhận / matches the recipient's ID`
    : `✗ ${who}: không khớp CCCD người nhận / does not match the recipient's ID`, matches ? "ok" : "warn");
}

function onCode(text) {
  if (!stopCamera) return;  // a frame decoded after the card was read
  try {
    reading = readIdCard(text);
  } catch (error) {
    say(`✗ ${error.message}`, "warn");
    return;
  }
  closeCamera();
  field("received_by").value = reading.name;
  field("id_last4").value = reading.idLast4;
  field("id_source").value = "cccd_qr";
  judge();
}

async function openCamera() {
  if (stopCamera) return;
  say("Đưa mã QR trên CCCD vào khung hình / hold the ID card's QR in view");
  $("id-card-scanner").hidden = false;
  try {
    await loadDecoder();
    stopCamera = await startScanner($("id-card-camera"), onCode);
  } catch (error) {
    closeCamera();
    say(`Không mở được camera, hãy nhập 4 số cuối / camera unavailable, type the last 4 digits: ${error.message}`, "warn");
  }
}

$("id-card-scan").addEventListener("click", openCamera);
$("id-card-stop").addEventListener("click", closeCamera);
field("relation").addEventListener("change", judge);
field("id_last4").addEventListener("input", () => { field("id_source").value = "typed"; reading = null; });
window.addEventListener("pagehide", closeCamera);
