"""The translators' tool: which marked strings lack an entry, and adding them to the right file.

    python -m web.catalogs check         # lists strings without a Vietnamese or English entry
    python -m web.catalogs add-missing   # adds them: Vietnamese copied from the id, English empty

Strings are marked in templates with ``_('...')`` (or ``{% trans %}``) and in the views with
``gettext`` / ``_`` / ``ngettext`` / ``pgettext`` / ``lazy_gettext`` from web/i18n.py; JavaScript
gets its words from the page that loads it, so it has none of its own. A new string goes to the
file of its area (``AREAS``), in both languages; ``tests/web/test_translations.py`` fails until
the English entry is written.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import LANGUAGES, TRANSLATIONS, read_catalog

WEB = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
            "pgettext": ((1, "c"), 2)}
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
# The first matching prefix of a file's path under web/ names its catalog file.
AREAS = (("templates/courier", "courier"), ("courier", "courier"), ("door", "courier"),
         ("money_view", "courier"),
         ("templates/counter/", "counter"), ("counter", "counter"),
         ("templates/collection", "counter"), ("collection_form", "counter"),
         ("intake_form", "counter"), ("creating", "counter"),
         ("templates/printing/", "printing"), ("print", "printing"),
         ("templates/track", "citizen"), ("templates/collect", "citizen"), ("public", "citizen"),
         ("citizen", "citizen"),
         *((f"templates/staff_{page}", "supervision") for page in (
             "at_risk", "custody", "outbox", "quality", "ratings", "reconciliation", "requests")),
         ("at_risk", "supervision"), ("outbox", "supervision"), ("quality", "supervision"),
         ("rating", "supervision"), ("reconciliation", "supervision"),
         ("supervision", "supervision"), ("charts", "supervision"),
         ("templates/staff_", "staff"), ("admin", "staff"), ("audit", "staff"),
         ("calendar", "staff"), ("payment", "staff"))


@dataclass(frozen=True)
class Marked:
    """One marked string and where it was first found (a path under web/ and a line)."""
    message_id: str
    plural: str | None
    context: str | None
    where: str
    line: int


def marked_strings(folder: Path = WEB) -> dict[tuple[str, str | None], Marked]:
    """Every string marked for translation in ``folder``'s templates and Python files."""
    found: dict[tuple[str, str | None], Marked] = {}
    for filename, line, message, _comments, context in extract_from_dir(
            str(folder), METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True):
        singular, plural = (message if isinstance(message, tuple) else (message, None))[:2]
        if singular and (singular, context) not in found:
            found[singular, context] = Marked(singular, plural, context, filename, line)
    return found


def area_of(where: str) -> str:
    return next((area for prefix, area in AREAS if where.startswith(prefix)), "shared")


def missing(language: str, folder: Path = TRANSLATIONS) -> list[Marked]:
    """Marked strings with no entry, or an empty one, in ``language``'s catalogs."""
    catalog = read_catalog(language, folder)
    return [marked for marked in marked_strings().values()
            if not _translated(catalog, marked)]


def _translated(catalog: Catalog, marked: Marked) -> bool:
    message = catalog.get(marked.message_id, marked.context)
    if message is None or message.fuzzy:  # fuzzy words are not shown (gettext's rule)
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def add_missing(folder: Path = TRANSLATIONS) -> int:
    """Adds every missing string to its area's file in each language; returns how many were new.
    Vietnamese gets the id's own words (the pages are written in Vietnamese), English stays empty
    for a translator to fill."""
    marked = marked_strings().values()
    added = 0
    for language in LANGUAGES:
        catalog = read_catalog(language, folder)
        new = [m for m in marked if catalog.get(m.message_id, m.context) is None]
        for area in {area_of(m.where) for m in new}:
            path = folder / language / f"{area}.po"
            part = _read(path, language)
            for m in (m for m in new if area_of(m.where) == area):
                part.add((m.message_id, m.plural) if m.plural else m.message_id,
                         _first_words(m, language), locations=[(m.where, m.line)],
                         context=m.context)
            _write(path, part)
        added = len(new) if language == "en" else added
    return added


def _first_words(marked: Marked, language: str) -> str | tuple[str, str]:
    """A new entry's words: the id's own in Vietnamese, empty (for a translator) in English."""
    singular = marked.message_id if language == "vi" else ""
    if marked.plural:
        return singular, marked.plural if language == "vi" else ""
    return singular


def _read(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, project="buudien-ketqua", version="1",
                       copyright_holder="buudien-ketqua", fuzzy=False)
    with path.open("rb") as po:
        return read_po(po, locale=language)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=100, omit_header=False, include_lineno=False)


# Words a page may show as they are, in either language: names of formats and systems.
SAME_IN_BOTH = {"PDF", "SVG", "PNG", "ZPL", "QR", "SMS", "API", "CSV", "XLSX", "URL", "VietQR",
                "Zalo", "ZNS", "OTP", "JSON", "UPU", "GSO", "HMAC", "VND", "S10", "dpi", "mm",
                "Tiếng", "Việt", "English", "eSMS", "Viettel", "VNPT", "Webhook", "webhook"}
JINJA_COMMENT = re.compile(r"{#.*?#}", re.S)
JINJA_CODE = re.compile(r"{{.*?}}|{%.*?%}", re.S)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.S)
LITERAL = r"""(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
MARKED = re.compile(rf"\b(?:_|gettext|ngettext|pgettext)\(\s*{LITERAL}(?:\s*,\s*{LITERAL})?")
WORD = re.compile(r"[^\W\d_]{2,}")
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class _Shown(HTMLParser):
    """The text a template shows: text between tags and the attributes people read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shown.extend(value or "" for name, value in attrs if name in SHOWN_ATTRIBUTES)

    def handle_data(self, data: str) -> None:
        self.shown.append(data)


def unmarked_words(source: str) -> list[str]:
    """Words a template shows without marking them for translation: in its HTML (text and
    read attributes) and in string literals of its Jinja code that read as words (a space
    between letters, or Vietnamese letters) outside ``_()``."""
    source = JINJA_COMMENT.sub(" ", source)
    found = []
    for code in JINJA_CODE.findall(source):
        for literal in re.findall(LITERAL, MARKED.sub(" ", code)):
            text = literal[1:-1]
            if _reads_as_words(text):
                found.append(text)
    page = _Shown()
    page.feed(SCRIPT_OR_STYLE.sub(" ", JINJA_CODE.sub(" ", source)))
    found.extend(word for text in page.shown for word in WORD.findall(text)
                 if word not in SAME_IN_BOTH)
    return found


def _reads_as_words(literal: str) -> bool:
    """Vietnamese letters, or two words of two letters or more ("—" or "✓" alone are signs)."""
    return (any(ch.isalpha() and not ch.isascii() for ch in literal)
            or re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", literal) is not None)


def templates_with_unmarked_words(folder: Path = WEB / "templates") -> dict[str, list[str]]:
    return {str(path.relative_to(folder)): words for path in sorted(folder.rglob("*.html"))
            if (words := unmarked_words(path.read_text(encoding="utf-8")))}


def main(argv: list[str]) -> int:
    if argv[:1] == ["add-missing"]:
        print(f"{add_missing()} new strings: write their English in web/translations/en/")
        return 0
    gaps = [(language, marked) for language in LANGUAGES for marked in missing(language)]
    for language, marked in gaps:
        print(f"{language}: {marked.where}:{marked.line}: {marked.message_id!r}")
    unmarked = templates_with_unmarked_words()
    for template, words in unmarked.items():
        print(f"unmarked in {template}: {' '.join(words)[:300]}")
    return 1 if gaps or unmarked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
