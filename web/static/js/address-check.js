// Live address check on the counter's form: asks the server where the address lands (post-2025 ward and
// province) while the clerk types, and offers the candidates when it cannot decide. When the server read
// a ward name as another spelling (a typo, other tone marks) it shows "written → official?" and offers
// that ward to tick, so the clerk confirms it with the citizen. Its words come from the page
// (counter/candidate.html's address_check_words), in the clerk's language.
import { word } from "./words.js";

const field = document.getElementById("address");
const out = document.getElementById("address-check");
const choices = document.getElementById("address-candidates");
const ward = document.getElementById("ward_code");
const province = document.getElementById("province_code");
const csrf = document.querySelector('input[name="csrf_token"]').value;
let timer = null;
let asked = "";

function show(text) { out.textContent = text; }

function offer(candidates) {
  choices.querySelectorAll("label").forEach((label) => label.remove());
  candidates.forEach((c) => {
    const label = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "candidate";
    radio.value = `${c.ward.code}:${c.province.code}`;
    label.append(radio, ` ${c.ward.name}, ${c.province.name}`);
    if (c.former) { // an old ward split between new wards: say which one this took parts of
      const former = document.createElement("span");
      former.className = "muted former";
      const place = [c.former.ward, c.former.district].filter(Boolean).join(", ");
      former.textContent = ` (${word("tookParts", { former: place })})`;
      label.append(former);
    }
    choices.append(label);
  });
  choices.hidden = candidates.length === 0;
}

async function check() {
  const text = field.value.trim();
  if (text.length < 6 || text === asked) return;
  asked = text;
  ward.value = "";
  province.value = "";
  show(word("checking"));
  const response = await fetch("/api/v1/addresses/resolve", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ text }),
  });
  const body = await response.json();
  // typed in a legacy Vietnamese encoding: the server read it in Unicode, and says so
  const encoding = { tcvn3: "TCVN3", vni: "VNI" }[body.converted_from];
  const converted = encoding ? ` · ${word("converted", { encoding })}` : "";
  if (response.ok) {
    const legacy = body.legacy
      ? ` (${word("former", { place: [body.legacy.ward, body.legacy.district].filter(Boolean).join(", ") })})`
      : "";
    const corrections = body.corrections || [];
    if (corrections.length) {
      offer([{ ward: body.ward, province: body.province }]);
      const fixed = corrections.map((c) => `${c.written} → ${c.official}?`).join("; ");
      show(word("corrected", { fixed, place: `${body.ward.name}, ${body.province.name}` }) + converted);
    } else {
      offer([]);
      show(`✓ ${body.ward.name}, ${body.province.name}${legacy}${converted}`);
    }
  } else {
    offer(body.candidates || []);
    show((body.candidates && body.candidates.length
      ? word("ambiguous")
      : `✗ ${body.detail}`) + converted);
  }
}

field.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 400); });
choices.addEventListener("change", (event) => {
  const [w, p] = event.target.value.split(":");
  ward.value = w;
  province.value = p;
});
if (field.value) check();
