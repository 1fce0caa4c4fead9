// Which login a courier page belongs to, and whether it is still the newest one on this phone.
// Scans queued offline carry the courier who queued them (queue.js) and are only ever sent under
// that courier's own login; a page left from an earlier login (the service worker's offline copy, a
// tab left open, the back button) neither queues nor sends. The server renders
// <meta name="courier-login" content="<user id>:<login time>:<rendered at, ms>" data-name="<username>">.
// Every page rendered after a login belongs to that login (one cookie per phone browser), so the
// newest login is the one whose first page seen here was rendered last; it is kept in localStorage
// (with whether it was logged out here).
const STORE_KEY = "courier-login";

function pageLogin() {
  const meta = document.querySelector('meta[name="courier-login"]');
  if (!meta || !meta.content) return null;
  const [user, since, rendered] = meta.content.split(":");
  return { key: `${user}:${since}`, user, rendered: Number(rendered), name: meta.dataset.name };
}

function newest() {
  try { return JSON.parse(localStorage.getItem(STORE_KEY)); } catch (e) { return null; }
}

function remember(login, ended) {
  localStorage.setItem(STORE_KEY, JSON.stringify({ key: login.key, rendered: login.rendered, ended }));
}

// The courier this page may queue and send for ({user, name, key}), or null when the page belongs
// to an earlier login on this phone or to one that was logged out here.
export function current() {
  const page = pageLogin();
  if (!page) return null;
  const last = newest();
  if (page.key === last?.key) return last.ended ? null : page;
  if (!last || page.rendered > last.rendered) {
    remember(page, false);
    // a new login: the offline copy of the scan page should be this courier's from now on
    navigator.serviceWorker?.controller?.postMessage("refresh-shell");
    return page;
  }
  return null;
}

// Who the page says is logged in, current or not (for messages).
export function ofPage() {
  return pageLogin();
}

// The server ended this page's login (logout answered): its pages stop queueing and sending.
export function ended() {
  const page = pageLogin();
  if (page) remember({ key: page.key, rendered: newest()?.rendered ?? page.rendered }, true);
}
