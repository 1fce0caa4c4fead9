// Reads QR and Code 128 from the phone's camera: the browser's own BarcodeDetector where it exists,
// otherwise the vendored ZXing decoder on frames copied to a canvas. The decoder (363 KB) is fetched
// only when a camera opens without BarcodeDetector: loaded with every scan page it made the page take
// 9 s on a 400 kbit/s line before typed numbers worked (bench/courier_network.py). The service worker
// keeps a copy, so the camera still works offline.
const FRAME_MS = 150;
const ZXING_URL = new URL("../../vendor/zxing-library-0.23.0/index.min.js", import.meta.url);
let zxingLoaded = null;

function loadZxing() {
  if (window.ZXing) return Promise.resolve();
  zxingLoaded ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = ZXING_URL.href;
    script.onload = resolve;
    script.onerror = () => { zxingLoaded = null; reject(new Error("decoder not loaded")); };
    document.head.append(script);
  });
  return zxingLoaded;
}

function zxingReader() {
  const hints = new Map();
  hints.set(ZXing.DecodeHintType.POSSIBLE_FORMATS, [ZXing.BarcodeFormat.QR_CODE, ZXing.BarcodeFormat.CODE_128]);
  hints.set(ZXing.DecodeHintType.TRY_HARDER, true);
  const reader = new ZXing.MultiFormatReader();
  reader.setHints(hints);
  return reader;
}

async function makeDecoder(video) {
  if ("BarcodeDetector" in window) {
    const detector = new BarcodeDetector({ formats: ["qr_code", "code_128"] });
    return async () => (await detector.detect(video)).map((code) => code.rawValue);
  }
  await loadZxing();
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const reader = zxingReader();
  return async () => {
    if (!video.videoWidth) return [];
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0);
    const bitmap = new ZXing.BinaryBitmap(new ZXing.HybridBinarizer(new ZXing.HTMLCanvasElementLuminanceSource(canvas)));
    try {
      return [reader.decodeWithState(bitmap).getText()];
    } catch (notFound) {
      return [];
    } finally {
      reader.reset();
    }
  };
}

// Starts the camera into `video` and calls onCode(text) for each code read; returns a stop() function.
export async function startScanner(video, onCode) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  video.srcObject = stream;
  await video.play();
  const decode = await makeDecoder(video);
  let running = true;
  const loop = async () => {
    if (!running) return;
    try { (await decode()).forEach(onCode); } catch (error) { console.warn("decode failed", error); }
    setTimeout(loop, FRAME_MS);
  };
  loop();
  return () => { running = false; stream.getTracks().forEach((t) => t.stop()); video.srcObject = null; };
}
