// The logout button on the courier's pages: first send this courier's waiting scans, then say what
// stays on the phone (kept for this courier only, sent when they log in here again), then log out.
// Logging out needs the network: offline, the courier stays logged in and is told so.
import * as login from "./login.js";
import * as queue from "./queue.js";

const form = document.querySelector('form[action$="/logout"]');
const csrf = document.querySelector('meta[name="csrf-token"]')?.content;

const scans = (n) => `${n} scan${n === 1 ? "" : "s"}`;

// Shows [Vietnamese, English] paragraphs and buttons ([label, class, action]) at the top of the page.
function notice([vi, en], actions = []) {
  let box = document.getElementById("logout-notice");
  if (!box) {
    box = document.createElement("div");
    box.id = "logout-notice";
    box.className = "flash notice";
    box.setAttribute("role", "alert");
    document.querySelector("main").prepend(box);
  }
  const message = document.createElement("p");
  message.textContent = vi;
  const english = document.createElement("p");
  english.className = "muted";
  english.lang = "en";
  english.textContent = en;
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
  box.replaceChildren(message, english, buttons);
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
    notice(["Chưa đăng xuất được, hãy thử lại.", `Could not log out, try again (${error.message}).`],
      [["Thử lại / Try again", "", () => attempt(true)], ["Ở lại / Stay", "secondary", close]]);
  }
}

async function attempt(anyway = false) {
  const owner = login.current();
  if (!owner) { form.submit(); return; }  // a page of an earlier login: nothing of its own to send
  if (!navigator.onLine) {
    const left = await waitingOf(owner);
    notice(["Không có mạng nên chưa đăng xuất được: cần có mạng để đăng xuất."
      + (left ? ` ${left} lượt quét của ${owner.name} vẫn chờ gửi trên máy này.` : ""),
    "No network, so you are still logged in: logging out needs the network."
      + (left ? ` ${scans(left)} by ${owner.name} ${left === 1 ? "is" : "are"} waiting on this phone.` : "")],
    [["Ở lại / Stay", "secondary", close]]);
    return;
  }
  notice(["Đang gửi các lượt quét còn chờ…", "Sending the scans still waiting…"]);
  const left = await sendFirst(owner);
  if (left && !anyway) {
    notice([`${left} lượt quét của ${owner.name} chưa gửi được, vẫn giữ trên máy này. Chỉ gửi khi `
      + `${owner.name} đăng nhập lại trên máy này, không bao giờ dưới tên người khác.`,
    `${scans(left)} by ${owner.name} could not be sent and ${left === 1 ? "stays" : "stay"} on this phone, `
      + `to be sent only when ${owner.name} logs in again here, never under anyone else's name.`],
      [["Vẫn đăng xuất / Log out anyway", "", () => attempt(true)],
        ["Ở lại / Stay", "secondary", close]]);
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
