// The documents of a collection's booking as rows (name + copies): the form works without this script with
// its empty rows; with it, rows are added (up to the table's data-max) and removed, and renumbered so that a
// message naming "row 3" matches what the person sees. Its words come from the page (collection_fields.html's
// document_rows renders them, web/static/js/words.js reads them).
import { word } from "./words.js";

const body = document.getElementById("document-rows");
const add = document.getElementById("add-document");
if (body && add) {
  const max = Number(body.dataset.max || 50);

  function renumber() {
    body.querySelectorAll("tr.document-row").forEach((row, i) => {
      const n = i + 1;
      row.querySelector(".row-number").textContent = String(n);
      row.querySelector('input[name="doc_name"]').setAttribute("aria-label", word("documentRow", { n }));
      row.querySelector('input[name="doc_copies"]').setAttribute("aria-label", word("copiesRow", { n }));
      row.querySelector(".remove-document").setAttribute("aria-label", word("removeRow", { n }));
    });
    add.disabled = body.querySelectorAll("tr.document-row").length >= max;
  }

  function clear(row) {
    row.querySelectorAll("input").forEach((input) => { input.value = ""; input.removeAttribute("aria-invalid"); });
    row.querySelectorAll(".field-error").forEach((error) => error.remove());
  }

  add.addEventListener("click", () => {
    const rows = body.querySelectorAll("tr.document-row");
    if (rows.length >= max) return;
    const row = rows[rows.length - 1].cloneNode(true);
    clear(row);
    body.append(row);
    renumber();
    row.querySelector('input[name="doc_name"]').focus();
  });
  body.addEventListener("click", (event) => {
    const button = event.target.closest(".remove-document");
    if (!button) return;
    const row = button.closest("tr");
    if (body.querySelectorAll("tr.document-row").length > 1) row.remove(); else clear(row);
    renumber();
  });
  add.hidden = false;
  body.querySelectorAll(".remove-document").forEach((button) => { button.hidden = false; });
  renumber();
}
