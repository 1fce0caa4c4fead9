// The citizen's chip ID card (CCCD) read from its QR on the courier's phone: the same rules and words
// as tracking/id_card.py (both are tested against tests/tracking/id_card_vectors.json). Only the ID's
// last 4 digits and the name leave this module: the full number never leaves the phone.
const SEPARATOR = "|";
const MAX_TEXT = 1000;
const CARD_ID = /^[0-9]{12}$/;
const OLD_ID = /^(?:[0-9]{9})?$/;
const DATE = /^([0-9]{2})([0-9]{2})([0-9]{4})$/;
const NAME = /^[\p{L}\p{M} '.\-]*$/u;
const LETTER = /\p{L}/u;
const BLANK = /^[ \t\r\n]+|[ \t\r\n]+$/g;
const SEXES = ["Nam", "Nữ"];
const EARLIEST_YEAR = 1900;

export const MESSAGES = {
  fields: "không phải mã QR của CCCD (số trường không đúng) / not an ID card's QR (wrong number of fields)",
  id: "số CCCD phải có 12 chữ số / the ID number must have 12 digits",
  old_id: "số CMND cũ phải có 9 chữ số / the old ID number must have 9 digits",
  name: "họ và tên không đọc được / the full name is unreadable",
  birth_date: "ngày sinh không hợp lệ (ngày tháng năm) / the date of birth is not a valid date (DDMMYYYY)",
  sex: "giới tính phải là Nam hoặc Nữ / the sex must be Nam or Nữ",
  address: "thiếu nơi thường trú / the permanent address is missing",
  issue_date: "ngày cấp không hợp lệ / the issue date is not a valid date (DDMMYYYY, not before the date of birth)",
};

export class NotAnIdCard extends Error {
  constructor(reason) {
    super(MESSAGES[reason]);
    this.reason = reason;
  }
}

// The date written DDMMYYYY as a comparable number YYYYMMDD, or null when it is not one (from 1900 on).
function dateOf(text) {
  const match = DATE.exec(text);
  if (!match) return null;
  const [day, month, year] = match.slice(1).map(Number);
  if (year < EARLIEST_YEAR) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return year * 10000 + month * 100 + day;
}

function isName(name) {
  return NAME.test(name) && LETTER.test(name);
}

// The text's fields, stripped, in NFC, without the empty ones a trailing separator leaves.
function fieldsOf(text) {
  if (typeof text !== "string" || [...text].length > MAX_TEXT) throw new NotAnIdCard("fields");
  const fields = text.normalize("NFC").replace(/^\ufeff+|\ufeff+$/g, "").split(SEPARATOR)
    .map((field) => field.replace(BLANK, ""));
  while (fields.length && !fields[fields.length - 1]) fields.pop();
  return fields;
}

function checkPerson(name, born, sex, address) {
  if (!isName(name)) throw new NotAnIdCard("name");
  const birth = dateOf(born);
  if (birth === null) throw new NotAnIdCard("birth_date");
  if (!SEXES.includes(sex)) throw new NotAnIdCard("sex");
  if (!address) throw new NotAnIdCard("address");
  return birth;
}

// { idLast4, name } of the card whose QR reads `text`; throws NotAnIdCard (its .reason and message
// name the first field of the wrong shape).
export function readIdCard(text) {
  const fields = fieldsOf(text);
  if (fields.length !== 6 && fields.length !== 7) throw new NotAnIdCard("fields");
  const [cardId, ...rest] = fields;
  if (!CARD_ID.test(cardId)) throw new NotAnIdCard("id");
  if (OLD_ID.test(rest[0])) rest.shift();  // the old ID (or its empty field), by its shape
  else if (rest.length === 6) throw new NotAnIdCard("old_id");
  if (rest.length !== 5) throw new NotAnIdCard("fields");
  const [name, born, sex, address, issued] = rest;
  const birth = checkPerson(name, born, sex, address);
  const issue = dateOf(issued);
  if (issue === null || issue < birth) throw new NotAnIdCard("issue_date");
  return { idLast4: cardId.slice(-4), name: name.split(" ").filter(Boolean).join(" ") };
}

// The digest tracking.id_card.id_digits_check gives the page for the recipient's digits (hex SHA-256).
export async function digitsCheck(trackingNumber, idLast4) {
  const bytes = new TextEncoder().encode(`${trackingNumber}${SEPARATOR}${idLast4}`);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
