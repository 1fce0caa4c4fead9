// The delivery form's "Scan ID card": the camera reads the citizen's CCCD QR (scanner.js, the same
// decoder as the scan page; the vendored ZXing is loaded only when the camera opens), id-card.js
// parses it here, and only the name and the last 4 digits go into the form. For relation self the
// page says whether the digits match those the agency sent (compared by digest, id-card.js).
// The words are the page's (courier_id_card.html); a card it cannot read is named by its reason.
import { word } from "../words.js";
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
  if (field("relation").value === "proxy") { say(word("card_proxy", { who }), "ok"); return; }
  const onFile = box.dataset.digitsCheck;
  if (!onFile) { say(word("card_no_digits", { who }), "ok"); return; }
  const matches = (await digitsCheck(box.dataset.trackingNumber, reading.idLast4)) === onFile;
  say(word(matches ? "card_matches" : "card_differs", { who }), matches ? "ok" : "warn");
}

function onCode(text) {
  if (!stopCamera) return;  // a frame decoded after the card was read
  try {
    reading = readIdCard(text);
  } catch (error) {
    say(`✗ ${error.reason ? word(`card_${error.reason}`) : error.message}`, "warn");
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
  say(word("card_in_view"));
  $("id-card-scanner").hidden = false;
  try {
    await loadDecoder();
    stopCamera = await startScanner($("id-card-camera"), onCode);
  } catch (error) {
    closeCamera();
    say(word("card_no_camera", { error: error.message }), "warn");
  }
}

$("id-card-scan").addEventListener("click", openCamera);
$("id-card-stop").addEventListener("click", closeCamera);
field("relation").addEventListener("change", judge);
field("id_last4").addEventListener("input", () => { field("id_source").value = "typed"; reading = null; });
window.addEventListener("pagehide", closeCamera);
