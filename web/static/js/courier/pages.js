// The pick-up form's page photos: each choice of the camera button ADDS its photos (a phone's camera
// gives one at a time; a gallery several), so the dossier is photographed sheet by sheet; the count
// says how many the form will send. Without JavaScript the input keeps the last choice, as inputs do.
// The words are the page's (courier_pickup.html).
import { word } from "../words.js";

const input = document.getElementById("pages");
const count = document.getElementById("pages-count");
const clear = document.getElementById("pages-clear");

if (input && count && typeof DataTransfer === "function") {
  const chosen = new DataTransfer();
  const show = () => {
    const n = chosen.files.length;
    count.textContent = word(n === 1 ? "page_photo" : "page_photos", { n });
    if (clear) clear.hidden = n === 0;
  };
  input.addEventListener("change", () => {
    [...input.files].forEach((file) => chosen.items.add(file));
    input.files = chosen.files;
    show();
  });
  clear?.addEventListener("click", () => {
    chosen.items.clear();
    input.files = chosen.files;
    show();
  });
  show();
}
