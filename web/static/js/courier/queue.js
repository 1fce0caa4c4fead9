// The courier's scan queue in IndexedDB: every scan is stored first (with its own event_id, the time it
// really happened and where, and the courier who scanned it), then sent in batches whenever the network
// allows, only under that courier's own login: another courier logged in on the same phone never sends
// it (login.js). Sending twice is harmless: the server answers a known event_id with the stored result.
const DB_NAME = "courier-scans";
const STORE = "scans";
const BATCH = 500;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "event_id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Runs work(store) in one transaction; resolves with the result of the request work returned, if any.
async function transact(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

// Queues a scan of `courier` ({user, name}, from login.js).
export function add(body, courier) {
  return transact("readwrite", (store) => store.put({
    event_id: body.event_id, body, state: "waiting", detail: "", user: courier.user, name: courier.name,
  }));
}

export function all() {
  return transact("readonly", (store) => store.getAll());
}

async function update(entries) {
  await transact("readwrite", (store) => { entries.forEach((e) => store.put(e)); });
}

// Sends the waiting scans of courier `user` (or, with everything=true, all of theirs again) under this
// page's login, whose CSRF token is `csrfToken`; returns their {sent, refused, waiting}. Scans queued
// by anyone else (or before scans named their courier) are never sent here.
export async function sync(csrfToken, user, { everything = false, timeoutMs = 0 } = {}) {
  if (!user) return counts([]);
  const mine = async () => (await all()).filter((e) => e.user === user);
  const entries = (await mine()).filter((e) => everything || e.state === "waiting").slice(0, BATCH);
  if (entries.length === 0) return counts(await mine());
  const response = await fetch("/api/v1/scans/batch", {
    method: "POST", credentials: "same-origin",
    signal: timeoutMs && AbortSignal.timeout ? AbortSignal.timeout(timeoutMs) : undefined,
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
    body: JSON.stringify({ scans: entries.map((e) => e.body) }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const { results } = await response.json();
  entries.forEach((entry, i) => {
    const r = results[i];
    entry.state = r.http_status < 300 ? "sent" : "refused";
    entry.detail = r.http_status < 300 ? r.status : (r.problem && r.problem.detail) || `HTTP ${r.http_status}`;
    entry.http_status = r.http_status;
  });
  await update(entries);
  return counts(await mine());
}

export function counts(entries) {
  const c = { sent: 0, refused: 0, waiting: 0 };
  entries.forEach((e) => { c[e.state] += 1; });
  return c;
}

// Waiting scans of everyone but `user`: [{user, name, waiting}], those without a courier (queued before
// scans named one) under user null.
export function waitingForOthers(entries, user) {
  const others = new Map();
  entries.filter((e) => e.state === "waiting" && e.user !== user).forEach((e) => {
    const key = e.user ?? null;
    const other = others.get(key) || { user: key, name: e.name || "", waiting: 0 };
    other.waiting += 1;
    others.set(key, other);
  });
  return [...others.values()];
}

export async function clearSent() {
  const done = (await all()).filter((e) => e.state !== "waiting").map((e) => e.event_id);
  await transact("readwrite", (store) => { done.forEach((id) => store.delete(id)); });
}
