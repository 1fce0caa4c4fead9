"""One language at a time: every page's words come from gettext catalogs, read once per process.

Pages are written in Vietnamese (the message ids are the Vietnamese text, so a page with a missing
catalog still reads right for our users); ``web/translations/<language>/*.po`` hold each
language's words, one file per area of the product so translators and developers do not edit the
same file at once. A language's files are merged when the app starts: no compiled ``.mo`` files to
keep in step. ``tests/web/test_translations.py`` checks that every string the templates and views
mark has a Vietnamese and an English entry, and that no template shows an unmarked word.

Which language a request gets (``current_language``): a page that chose one explicitly (the
citizen's tracking page, cached per language) sets it with ``speaking``; a logged-in staff user
gets the language saved on their account (Vietnamese unless they chose English); anyone else gets
``?lang=``, then the ``lang`` cookie, then the browser's preference, Vietnamese by default.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, Translations
from flask import Flask, current_app, g, has_request_context, request
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept

from delivery.errors import DomainError, ValidationFailed

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LANG_COOKIE = "lang"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
TRAILING_NUMBER = re.compile(r"\s(\d[\d.,]*)$")


def read_catalog(language: str, folder: Path = TRANSLATIONS) -> Catalog:
    """Every ``.po`` file of ``language`` merged into one catalog (files in name order).

    Raises ValueError when two files give the same message different words: one message, one
    translation, whichever file it sits in."""
    merged = Catalog(locale=language, domain="messages")
    for path in sorted((folder / language).glob("*.po")):
        with path.open("rb") as po:
            part = read_po(po, locale=language)
        for message in part:
            if not message.id:
                continue  # the header
            known = merged.get(message.id, message.context)
            if known is not None and known.string != message.string:
                raise ValueError(f"{path.name}: {message.id!r} is translated differently "
                                 "in another file")
            merged[message.id] = message
    return merged


@cache
def load_translations(folder: Path = TRANSLATIONS) -> dict[str, Translations]:
    """Each language's merged catalog as gettext translations (compiled in memory), read once per
    process: the catalogs ship with the code and the translations are only read, so every app of
    the process (one per test) shares them instead of parsing the files again (~40 ms)."""
    loaded = {}
    for language in LANGUAGES:
        compiled = io.BytesIO()
        write_mo(compiled, read_catalog(language, folder))
        compiled.seek(0)
        loaded[language] = Translations(fp=compiled, domain="messages")
    return loaded


def chosen_language(in_url: str | None, in_cookie: str | None, browser: LanguageAccept) -> str:
    """URL (?lang=), then cookie, then the browser's preference; Vietnamese by default."""
    chosen = in_url or in_cookie
    if chosen in LANGUAGES:
        return chosen
    return browser.best_match(list(LANGUAGES), default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def visitor_language() -> str:
    """The language of a visitor without an account (see ``chosen_language``)."""
    return chosen_language(request.args.get("lang"), request.cookies.get(LANG_COOKIE),
                           request.accept_languages)


def current_language() -> str:
    """This request's language (see the module's docstring); Vietnamese outside a request."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    if "language" not in g:
        from .auth import current_user  # auth's views render pages: imported late, not circular

        user = current_user()
        g.language = (user.language if user is not None and user.language in LANGUAGES
                      else visitor_language())
    return str(g.language)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Render in ``language`` inside the block (a page cached per language renders for its key,
    not for whoever asked first)."""
    had = g.get("language")
    g.language = language
    try:
        yield
    finally:
        if had is None:
            g.pop("language", None)
        else:
            g.language = had


def _translations() -> Translations:
    return current_app.extensions["translations"][current_language()]


def gettext(message: str, **variables: Any) -> str:
    """``message`` (its Vietnamese words) in this request's language, ``%(name)s`` filled in."""
    text = _translations().gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, count: int, **variables: Any) -> str:
    """The singular or plural form for ``count`` (``%(num)d`` is the count)."""
    text = _translations().ngettext(singular, plural, count)
    return text % {"num": count, **variables}


def pgettext(context: str, message: str, **variables: Any) -> str:
    """``gettext`` for words that read the same in Vietnamese but differ in English by
    ``context`` (a short English hint such as "noun")."""
    text = _translations().pgettext(context, message)
    return text % variables if variables else text


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """``gettext`` when the text is used, not when defined: for labels in module-level tables."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext


def one_language(text: str) -> str:
    """A domain message written as ``"Vietnamese / English"`` (the domain packages do not know the
    request's language), or as ``"Trường / Field: lỗi / error"``, in this request's language. A
    text of any other shape is shown as it is. Values written once, after the English half
    ("không có bưu gửi / unknown: RR1VN", "tối đa / at most 50"), stay in the Vietnamese too."""
    parts = str(text).split(" / ")
    english = current_language() == "en"
    if len(parts) == 3 and ": " in parts[1]:
        field_en, message_vi = parts[1].split(": ", 1)
        return (f"{field_en}: {parts[2]}" if english
                else f"{parts[0]}: {_vietnamese_half(message_vi, parts[2])}")
    if len(parts) != 2:
        return str(text)
    return parts[1] if english else _vietnamese_half(*parts)


def why_refused(error: DomainError) -> str:
    """Why the domain refused, for a flash or a page, in this request's language: a refused
    form's messages without their fields' keys (the page names its fields itself), or the
    error's detail."""
    if isinstance(error, ValidationFailed):
        return "; ".join(one_language(message) for message in error.errors.values())
    return one_language(error.detail)


def _vietnamese_half(vietnamese: str, english: str) -> str:
    _words, colon, values = english.partition(": ")
    if colon and ": " not in vietnamese:
        return f"{vietnamese}: {values}"
    number = TRAILING_NUMBER.search(english)
    if number and number.group(1) not in vietnamese:
        return f"{vietnamese} {number.group(1)}"
    return vietnamese


def _jinja_gettext(message: str) -> str:
    return _translations().gettext(message)


def _jinja_ngettext(singular: str, plural: str, count: int) -> str:
    return _translations().ngettext(singular, plural, count)


def _jinja_pgettext(context: str, message: str) -> str:
    return _translations().pgettext(context, message)


def init_app(app: Flask) -> None:
    """Read the catalogs and give templates ``_``/``gettext``/``ngettext`` (Jinja's newstyle:
    ``{{ _('Đã lưu %(code)s', code=x) }}`` escapes ``x``; ``pgettext``), ``language`` and the
    ``one_language`` filter."""
    app.extensions["translations"] = load_translations()
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        _jinja_gettext, _jinja_ngettext, newstyle=True, pgettext=_jinja_pgettext)
    app.jinja_env.filters["one_language"] = lambda text: Markup.escape(one_language(text))
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES

    @app.context_processor
    def language() -> dict[str, str]:
        return {"language": current_language()}
