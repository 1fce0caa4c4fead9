// The logout button on the courier's pages: first send this courier's waiting scans, then say what
// stays on the phone (kept for this courier only, sent when they log in here again), then log out.
// Logging out needs the network: offline, the courier stays logged in and is told so. The words are
// the page's (courier_login.html, on every courier page).
import { word } from "../words.js";
import * as login from "./login.js";
import * as queue from "./queue.js";

const form = document.querySelector('form[action$="/logout"]');
const csrf = document.querySelector('meta[name="csrf-token"]')?.content;

// A count's word: "_one" for 1, "_many" otherwise (English says "1 scan is", "2 scans are").
const counted = (key, n, values) => word(`${key}_${n === 1 ? "one" : "many"}`, { n, ...values });

// Shows a paragraph and buttons ([label, class, action]) at the top of the page.
function notice(said, actions = []) {
  let box = document.getElementById("logout-notice");
  if (!box) {
    box = document.createElement("div");
    box.id = "logout-notice";
    box.className = "flash notice";
    box.setAttribute("role", "alert");
    document.querySelector("main").prepend(box);
  }
  const message = document.createElement("p");
  message.textContent = said;
  const buttons = document.createElement("p");
  buttons.className = "notice-actions";
  actions.forEach(([label, kind, act]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    if (kind) button.className = kind;
    button.addEventListener("click", act);
    buttons.append(button);
  });
  box.replaceChildren(message, buttons);
  box.scrollIntoView({ block: "start" });
}

const close = () => document.getElementById("logout-notice")?.remove();

async function waitingOf(owner) {
  return (await queue.all()).filter((e) => e.user === owner.user && e.state === "waiting").length;
}

async function sendFirst(owner) {
  try {
    // up to 500 per request; stops when a request fails
    for (let round = 0; round < 20 && (await waitingOf(owner)) > 0; round += 1) {
      await queue.sync(csrf, owner.user, { timeoutMs: 15000 });
    }
  } catch (error) {
    console.warn("could not send before logout", error);
  }
  return waitingOf(owner);
}

async function logOut() {
  try {
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    login.ended();
    window.location.assign(response.url);
  } catch (error) {
    notice(word("logout_failed", { error: error.message }),
      [[word("logout_try_again"), "", () => attempt(true)], [word("logout_stay"), "secondary", close]]);
  }
}

async function attempt(anyway = false) {
  const owner = login.current();
  if (!owner) { form.submit(); return; }  // a page of an earlier login: nothing of its own to send
  if (!navigator.onLine) {
    const left = await waitingOf(owner);
    const waiting = left ? ` ${counted("logout_offline_waiting", left, { name: owner.name })}` : "";
    notice(word("logout_offline") + waiting, [[word("logout_stay"), "secondary", close]]);
    return;
  }
  notice(word("logout_sending"));
  const left = await sendFirst(owner);
  if (left && !anyway) {
    notice(counted("logout_unsent", left, { name: owner.name }),
      [[word("logout_anyway"), "", () => attempt(true)], [word("logout_stay"), "secondary", close]]);
    return;
  }
  await logOut();
}

// Every courier page (this script is on each) notes its login: a page of a new login makes that login
// the phone's current one, and pages of earlier ones stop queueing and sending.
login.current();
form?.addEventListener("submit", (event) => {
  event.preventDefault();
  attempt();
});
