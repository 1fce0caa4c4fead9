// The courier's scan queue in IndexedDB: every scan is stored first (with its own event_id, the time it
// really happened and where), then sent in batches whenever the network allows. Sending twice is harmless:
// the server answers a known event_id with the stored result.
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

export function add(body) {
  return transact("readwrite", (store) => store.put({ event_id: body.event_id, body, state: "waiting", detail: "" }));
}

export function all() {
  return transact("readonly", (store) => store.getAll());
}

async function update(entries) {
  await transact("readwrite", (store) => { entries.forEach((e) => store.put(e)); });
}

// Sends waiting scans (or, with everything=true, all of them again); returns {sent, refused, waiting}.
export async function sync(csrfToken, { everything = false } = {}) {
  const entries = (await all()).filter((e) => everything || e.state === "waiting").slice(0, BATCH);
  if (entries.length === 0) return counts(await all());
  const response = await fetch("/api/v1/scans/batch", {
    method: "POST", credentials: "same-origin",
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
  return counts(await all());
}

export function counts(entries) {
  const c = { sent: 0, refused: 0, waiting: 0 };
  entries.forEach((e) => { c[e.state] += 1; });
  return c;
}

export async function clearSent() {
  const done = (await all()).filter((e) => e.state !== "waiting").map((e) => e.event_id);
  await transact("readwrite", (store) => { done.forEach((id) => store.delete(id)); });
}
