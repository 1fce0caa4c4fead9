// UPU S10 tracking numbers on the phone: the same rule as delivery/s10.py, so a mistyped number is caught
// before it is queued.
const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];
const SHAPE = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/;

export function normalise(text) {
  return (text || "").replace(/[\s-]/g, "").toUpperCase();
}

export function checkDigit(serial) {
  const sum = [...serial].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i], 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

// "ok", "incomplete" (still typing), "shape" or "check" (wrong check digit).
export function validate(text) {
  const number = normalise(text);
  if (number.length < 13) return "incomplete";
  const match = SHAPE.exec(number);
  if (!match) return "shape";
  return checkDigit(match[2]) === Number(match[3]) ? "ok" : "check";
}

// A scanned code is either the S10 itself (Code 128) or the label's QR URL ending in /courier/items/<S10>.
export function fromScan(text) {
  const match = /\/courier\/items\/([A-Za-z0-9]+)\/?$/.exec(text || "");
  const number = normalise(match ? match[1] : text);
  return validate(number) === "ok" ? number : null;
}
