// The delivery office's ward picker (staff_office.html): a filter box over the province's wards,
// matching names with or without diacritics ("hoan kiem" finds "Hoàn Kiếm") and codes, and a
// count of the wards ticked. Without this script the whole list is there to tick; filtering only
// hides rows, so a ticked ward that is hidden is still sent.

const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
  .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().trim();

function setUp(picker) {
  const tools = picker.querySelector(".picker-tools");
  const filter = picker.querySelector("#ward-filter");
  const rows = [...picker.querySelectorAll("label.ward")];
  const keys = rows.map((row) => fold(row.dataset.search || row.textContent));
  const ticked = picker.querySelector("[data-picked-count]");
  const shown = picker.querySelector("[data-shown-count]");
  const noMatch = picker.querySelector("[data-no-match]");

  const count = () => {
    ticked.textContent = rows.filter((row) => row.querySelector("input").checked).length;
  };
  const apply = () => {
    const words = fold(filter.value).split(/\s+/).filter(Boolean);
    let visible = 0;
    rows.forEach((row, i) => {
      const match = words.every((word) => keys[i].includes(word));
      row.hidden = !match;
      if (match) visible += 1;
    });
    shown.textContent = visible;
    noMatch.hidden = visible > 0;
  };

  filter.addEventListener("input", apply);
  // Enter in the filter would submit the form: it only filters.
  filter.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  picker.addEventListener("change", count);
  tools.hidden = false;
  count();
  apply();
}

document.querySelectorAll("[data-ward-picker]").forEach(setUp);
