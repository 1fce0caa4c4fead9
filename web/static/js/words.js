// The page's words, in the reader's language. Scripts have no words of their own: the template
// renders them from the catalogs (web/i18n.py) into <script type="application/json"
// class="page-words"> blocks (templates/words.html), read here once. A word's "{name}" parts are
// filled from `values`.
const words = {};
for (const block of document.querySelectorAll("script.page-words")) {
  Object.assign(words, JSON.parse(block.textContent));
}

export function word(key, values = {}) {
  const text = words[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
