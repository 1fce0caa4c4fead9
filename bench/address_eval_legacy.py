"""Addresses typed in Vietnam's legacy encodings, for the evaluation set: old office software and
Excel files still hold text typed with TCVN3 (ABC) or VNI-Windows fonts, which reaches us as Latin
letters and symbols ("Hµ Néi", "Haø Noäi" for "Hà Nội").

Each form takes PER_FORM accented addresses of the ordinary forms (new two-tier and old three-tier)
and writes them as such text, through delivery.legacy_encoding's own tables backwards; the scorer
reads them as the API does (converted, then resolved). Only addresses every letter of which the
encoding can write are taken: a capital the legacy font has no code for could not have been typed.
"""

from __future__ import annotations

import random
import unicodedata

from bench.address_eval import Case
from delivery.legacy_encoding import TABLES

PER_FORM = 60
ENCODINGS = ("tcvn3", "vni")


def _writer(encoding: str) -> dict[str, str]:
    """Unicode letter -> what typing it in ``encoding`` leaves (the shortest, when several)."""
    back: dict[str, str] = {}
    for legacy, letter in sorted(TABLES[encoding].items(), key=lambda pair: -len(pair[0])):
        back[letter] = legacy
    return back


def written_in(text: str, encoding: str) -> str | None:
    """``text`` as typed with an ``encoding`` font, or None when a letter of it has no code."""
    back, out = _writer(encoding), []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            out.append(char)
        elif char in back:
            out.append(back[char])
        else:
            return None
    return "".join(out)


def legacy_cases(cases: list[Case], seed: int) -> list[Case]:
    """PER_FORM cases per encoding and ordinary form ("tcvn3-new", "vni-old", ...), drawn from
    ``cases``' accented addresses."""
    rng, found = random.Random(seed), []
    for encoding in ENCODINGS:
        for form in ("new", "old"):
            pool = [(case, written) for case in cases if case.form == form
                    and not case.text.isascii()
                    and (written := written_in(case.text, encoding)) is not None]
            found += [case._replace(form=f"{encoding}-{form}", text=written)
                      for case, written in rng.sample(pool, min(PER_FORM, len(pool)))]
    return found
