// "Select all" for the handover list: one box ticks every consignment row.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", () => {
    document.querySelectorAll('input[name="n"]').forEach((box) => { box.checked = all.checked; });
  });
});
