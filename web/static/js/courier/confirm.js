// Irreversible steps ask once more before they are recorded (a mis-tap texts the citizen): a form
// with data-confirm submits only once the courier says yes. A module file, as the CSP forbids
// inline handlers; without JavaScript the step is still behind its own <details> (courier_item.html).
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
