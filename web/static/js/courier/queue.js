// The courier's scan queue in IndexedDB: every scan is stored first (with its own event_id, the time it
// really happened and where, and the courier who scanned it), then sent in batches whenever the network
// allows, only under that courier's own login: another courier logged in on the same phone never sends
// it (login.js). Sending twice is harmless: the server answers a known event_id with the stored result.
// Door scans from the item page (door.js: delivered, a failed attempt, with the photo as a Blob; a
// pick-up with its page photos) wait here too, as entries of kind "door", and are sent one by one as
// the form they were.
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

// Queues a scan of `courier` ({user, name}, from login.js); `extra` for a door scan: {kind, photo}.
export function add(body, courier, extra = {}) {
  return transact("readwrite", (store) => store.put({
    event_id: body.event_id, body, state: "waiting", detail: "", user: courier.user, name: courier.name,
    ...extra,
  }));
}

export function all() {
  return transact("readonly", (store) => store.getAll());
}

async function update(entries) {
  await transact("readwrite", (store) => { entries.forEach((e) => store.put(e)); });
}

// Sends the waiting scans of courier `user` (or, with everything=true, all of their bag scans again)
// under this page's login, whose CSRF token is `csrfToken`; returns their {sent, refused, waiting}.
// Scans queued by anyone else (or before scans named their courier) are never sent here.
export function sync(...args) {
  // one sync at a time on this phone (two tabs, or the network's return during a periodic one): a door
  // scan sent twice at once would race its own photo
  return navigator.locks ? navigator.locks.request("courier-queue-sync", () => sendDue(...args)) : sendDue(...args);
}

async function sendDue(csrfToken, user, { everything = false, timeoutMs = 0 } = {}) {
  if (!user) return counts([]);
  const mine = async () => (await all()).filter((e) => e.user === user);
  const due = (await mine()).filter((e) => everything || e.state === "waiting");
  const bag = due.filter((e) => e.kind !== "door").slice(0, BATCH);
  if (bag.length) await sendBatch(bag, csrfToken, timeoutMs);
  // a door scan goes until it has an answer, never again after (its photo is dropped then; sent again,
  // a refused one with a wrong OTP would spend another of the recipient's tries)
  const door = due.filter((e) => e.kind === "door" && e.state === "waiting");
  for (const entry of door) await sendDoor(entry, csrfToken, timeoutMs);
  return counts(await mine());
}

const headers = (csrfToken, more) => ({ "X-CSRF-Token": csrfToken, ...more });
const signal = (timeoutMs) => (timeoutMs && AbortSignal.timeout ? AbortSignal.timeout(timeoutMs) : undefined);

async function sendBatch(entries, csrfToken, timeoutMs) {
  const response = await fetch("/api/v1/scans/batch", {
    method: "POST", credentials: "same-origin", signal: signal(timeoutMs),
    headers: headers(csrfToken, { "Content-Type": "application/json" }),
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
}

// A door scan goes as the form it was (its event_id and the time of the press among the fields), the
// photo attached again. The server's answer, accepted or refused with the reason, is kept on the entry;
// the photo and the form's fields (who received it, the OTP) then leave the phone's storage. No answer
// (no network, the login page, a server error) throws and leaves it waiting, to be sent again whole:
// the server records a repeat once, with one photo.
async function sendDoor(entry, csrfToken, timeoutMs) {
  const form = new FormData();
  entry.body.fields.forEach(([name, value]) => form.append(name, value));
  form.set("csrf_token", csrfToken);
  if (entry.photo) form.append("photo", entry.photo, entry.photo_name || "photo.jpg");
  (entry.pages || []).forEach((page, i) => form.append("pages", page.blob, page.name || `page-${i + 1}.jpg`));
  // a pick-up posts to its own address (kept with the entry); the other door forms to the item's scan
  const own = entry.action && entry.action.startsWith("/courier/items/") ? entry.action : null;
  const response = await fetch(own || `/courier/items/${encodeURIComponent(entry.body.tracking_number)}/scan`, {
    method: "POST", credentials: "same-origin", signal: signal(timeoutMs), body: form,
    headers: headers(csrfToken, { Accept: "application/json" }),
  });
  const json = (response.headers.get("Content-Type") || "").includes("json");
  const answer = json ? await response.json() : null;
  if (typeof answer?.accepted !== "boolean") throw new Error(`HTTP ${response.status}`);
  Object.assign(entry, {
    state: answer.accepted ? "sent" : "refused", detail: answer.message, status: answer.status || "",
    http_status: response.status, photo: null, pages: null, body: { ...entry.body, fields: [] },
  });
  await update([entry]);
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
