// The print view's button: the browser's print dialog (no inline handlers: the CSP forbids them).
document.getElementById("print-now")?.addEventListener("click", () => window.print());
