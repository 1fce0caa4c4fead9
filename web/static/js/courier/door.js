// The item page's door forms (delivered, a failed attempt, a pick-up, ...) work without coverage too. Each submit
// gets its own event_id and the time the courier pressed the button. Online, the form is posted as it
// would be and the page follows the answer; when the network fails, the whole form, photo included (a
// Blob), waits on this phone for the courier logged in (queue.js, login.js) and is sent when the
// network is back: the answer, accepted or refused with the reason, is shown here and on the scan page.
// On the home page it only sends what waits. Without JavaScript the forms post as they always did.
import * as login from "./login.js";
import * as queue from "./queue.js";
import { word } from "../words.js";

const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
const box = document.getElementById("door-queue");
const pad = (n) => String(n).padStart(2, "0");

// The phone's local time with its offset (2026-12-07T14:05:09.123+07:00): when it happened, as the
// courier saw the clock.
function pressedAt(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 23);
  const abs = Math.abs(offset);
  return `${local}${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function hidden(form, name, value) {
  let input = form.querySelector(`input[type=hidden][name="${name}"]`);
  if (!input) {
    input = Object.assign(document.createElement("input"), { type: "hidden", name });
    form.append(input);
  }
  input.value = value;
}

function text(content, tag = "p", className = "") {
  return Object.assign(document.createElement(tag), { textContent: content, className });
}

function line(entry) {
  const { occurred_at: when, label } = entry.body;
  const said = entry.state === "waiting" ? "" : `: ${entry.detail}`;
  const p = text(`${when.slice(11, 16)} · ${label} — ${word(`door_${entry.state}`)}${said}`, "p",
    entry.state === "refused" ? "warn" : entry.state === "sent" ? "ok" : "");
  p.dataset.state = entry.state;
  return p;
}

// This item's door scans on this phone by the courier logged in, oldest first.
async function show() {
  const owner = login.current();
  if (!box || !owner) return;
  const entries = (await queue.all()).filter((e) => e.kind === "door" && e.user === owner.user
    && e.body.tracking_number === box.dataset.number);
  entries.sort((a, b) => a.body.occurred_at.localeCompare(b.body.occurred_at));
  const done = entries.some((e) => e.state !== "waiting");
  const reload = Object.assign(text(word("door_new_status"), "a"), { href: location.pathname });
  box.replaceChildren(...entries.map(line), ...(done ? [reload] : []));
  box.hidden = entries.length === 0;
}

const blobOf = async (file) => ({ blob: new Blob([await file.arrayBuffer()], { type: file.type }), name: file.name });

// The form waits whole: its fields, the door photo and a pick-up's page photos (Blobs), and where it
// posts (the pick-up has its own address).
async function keep(form, data, owner, label) {
  const photo = data.get("photo");
  const pages = data.getAll("pages").filter((file) => file && file.size > 0);
  data.delete("photo");
  data.delete("pages");
  const extra = { kind: "door", action: new URL(form.action, location.href).pathname };
  if (photo && photo.size > 0) {
    extra.photo = new Blob([await photo.arrayBuffer()], { type: photo.type });
    extra.photo_name = photo.name;
  }
  if (pages.length) extra.pages = await Promise.all(pages.map(blobOf));
  const fields = [...data.entries()].filter(([, value]) => typeof value === "string");
  await queue.add({
    event_id: data.get("event_id"), tracking_number: box.dataset.number, event: data.get("event"),
    occurred_at: data.get("occurred_at"), label, fields,
  }, owner, extra);
  await show();
}

async function submit(event) {
  const form = event.currentTarget;
  const owner = login.current();
  if (event.defaultPrevented || !owner) return;  // confirm.js said no; a page of an earlier login posts plainly
  event.preventDefault();
  const buttons = form.querySelectorAll("button[type=submit]");
  buttons.forEach((b) => { b.disabled = true; });
  hidden(form, "event_id", crypto.randomUUID());
  hidden(form, "occurred_at", pressedAt());
  const data = new FormData(form);
  const label = event.submitter?.textContent.trim() || data.get("event");
  if (navigator.onLine) {
    try {
      const response = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" });
      if (response.type === "opaqueredirect") location.assign(location.pathname);  // the page says what happened
      else form.submit();  // the server's own page for anything else (the same event_id: harmless)
      return;
    } catch (error) {
      console.warn("no network: kept on this phone", error);
    }
  }
  await keep(form, data, owner, label);
}

async function sync() {
  const owner = login.current();
  if (!owner || !csrf || !navigator.onLine) return;
  try { await queue.sync(csrf, owner.user); } catch (error) { console.warn("sync failed, will retry", error); }
  await show();
}

document.querySelectorAll("#actions form").forEach((form) => form.addEventListener("submit", submit));
window.addEventListener("online", sync);
setInterval(sync, 30000);
window.courierDoor = { sync };
show().then(sync);
