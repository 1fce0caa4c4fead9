// Service worker for the courier pages: keeps the app shell so the scan page opens without coverage.
// Navigations go to the network first (fresh data), falling back to the cached copy; static files come
// from the cache first. Scans themselves never go through here: they wait in IndexedDB (queue.js).
// The cached scan page is the one of the newest login (it names its courier, login.js): refreshed on
// every visit online and when a new login is seen; a copy from an earlier login neither queues nor sends.
// A new name when a shell file changes (v9: the pick-up form, pages.js; v10: the scripts' words come
// from the page, read by words.js, one language at a time).
const CACHE = "courier-shell-v10";
const SCAN_PAGE = "/courier/scan";
const SHELL = [
  SCAN_PAGE, "/static/app.css", "/static/js/courier/scan-page.js", "/static/js/courier/queue.js",
  "/static/js/courier/login.js", "/static/js/courier/logout.js",
  "/static/js/courier/scanner.js", "/static/js/courier/s10.js", "/static/js/courier/signals.js",
  "/static/js/courier/confirm.js", "/static/js/courier/door.js", "/static/js/courier/pages.js",
  "/static/js/words.js",
  "/static/vendor/zxing-library-0.23.0/index.min.js",
];

// Keeps a fresh copy of the scan page (never a redirect to the login form or an error).
function keepScanPage(response) {
  if (response.ok && !response.redirected) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(SCAN_PAGE, copy));
  }
  return response;
}

self.addEventListener("message", (event) => {
  if (event.data === "refresh-shell") {
    event.waitUntil(fetch(SCAN_PAGE, { credentials: "same-origin" }).then(keepScanPage).catch(() => {}));
  }
});

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
    const fresh = fetch(request).then((response) => (url.pathname === SCAN_PAGE ? keepScanPage(response) : response));
    event.respondWith(fresh.catch(() => caches.match(request).then((hit) => hit || caches.match(SCAN_PAGE))));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
