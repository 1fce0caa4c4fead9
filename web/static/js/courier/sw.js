// Service worker for the courier pages: keeps the app shell so the scan page opens without coverage.
// Navigations go to the network first (fresh data), falling back to the cached copy; static files come
// from the cache first. Scans themselves never go through here: they wait in IndexedDB (queue.js).
const CACHE = "courier-shell-v1";
const SHELL = [
  "/courier/scan", "/static/app.css", "/static/js/courier/scan-page.js", "/static/js/courier/queue.js",
  "/static/js/courier/scanner.js", "/static/js/courier/s10.js", "/static/js/courier/signals.js",
  "/static/vendor/zxing-library-0.23.0/index.min.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(request).then((hit) => hit || caches.match("/courier/scan"))));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
