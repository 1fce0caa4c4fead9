"""The texts of the messages to citizens, as data (message_texts.json): per message kind, the SMS
text with named variables and the ZNS template's parameters mapped to the same variables.

Loading checks what a provider would only find out at send time: every ``{name}`` is a known
variable, each kind has both channels' texts, each ZNS parameter says its length limit. A text with
an unknown variable is refused (TemplateError), so a typo stops the app, not the messages.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEXTS_FILE = Path(__file__).with_name("message_texts.json")
KINDS = ("created", "out_for_delivery", "delivery_failed", "held_for_pickup", "delivered",
         "collection_booked", "booking_code", "collection_receipt", "agency_received")


class TemplateError(ValueError):
    """A message text that cannot be sent as written."""


@dataclass(frozen=True)
class Variable:
    max_length: int  # the longest value the limits are checked with
    truncated: bool = False  # free text (an office's address), cut to max_length when sent


@dataclass(frozen=True)
class ZnsParameter:
    text: str  # with {variables}
    max_length: int  # Zalo's limit for the parameter's type


@dataclass(frozen=True)
class MessageTexts:
    sms: str
    sms_max_segments: dict[str, int]  # "accented" (UCS-2), "unaccented" (GSM-7)
    zns: dict[str, ZnsParameter]


def _fields(text: str, where: str, variables: dict[str, Variable]) -> None:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise TemplateError(f"{where}: {error}") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in variables or spec or conversion:
            raise TemplateError(f"{where}: unknown variable {{{name}}}; known: "
                                f"{', '.join(sorted(variables))}")


def _kind(kind: str, data: dict[str, Any], variables: dict[str, Variable]) -> MessageTexts:
    try:
        sms, budget, zns = data["sms"], data["sms_max_segments"], data["zns"]
        parameters = {name: ZnsParameter(p["text"], int(p["max_length"]))
                      for name, p in zns.items()}
        budget = {"accented": int(budget["accented"]), "unaccented": int(budget["unaccented"])}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise TemplateError(f"{kind}: incomplete ({error})") from None
    _fields(sms, f"{kind} sms", variables)
    for name, parameter in parameters.items():
        _fields(parameter.text, f"{kind} zns {name}", variables)
    return MessageTexts(sms, budget, parameters)


def load_texts(data: dict[str, Any]) -> tuple[dict[str, Variable], dict[str, MessageTexts]]:
    """The variables and each kind's texts; raises TemplateError for an unknown variable, a
    missing or unknown kind, or a text without its limits."""
    try:
        variables = {name: Variable(int(v["max_length"]), bool(v.get("truncated", False)))
                     for name, v in data["variables"].items()}
        kinds = data["kinds"]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise TemplateError(f"message texts: incomplete ({error})") from None
    if set(kinds) != set(KINDS):
        raise TemplateError(f"message texts must have exactly the kinds {', '.join(KINDS)}")
    return variables, {kind: _kind(kind, kinds[kind], variables) for kind in KINDS}


def load_file(path: Path = TEXTS_FILE) -> tuple[dict[str, Variable], dict[str, MessageTexts]]:
    return load_texts(json.loads(path.read_text(encoding="utf-8")))


VARIABLES, TEXTS = load_file()


def fitted(values: dict[str, str]) -> dict[str, str]:
    """The values with free-text ones cut to their length (``...`` marks the cut: GSM-7, where an
    ellipsis character would make the whole SMS UCS-2)."""
    out = dict(values)
    for name, variable in VARIABLES.items():
        value = out.get(name, "")
        if variable.truncated and len(value) > variable.max_length:
            out[name] = value[:variable.max_length - 3].rstrip() + "..."
    return out


def zns_data(kind: str, values: dict[str, str]) -> dict[str, str]:
    """The ``template_data`` of a kind's ZNS message, each parameter within its limit."""
    return {name: parameter.text.format(**values)[:parameter.max_length]
            for name, parameter in TEXTS[kind].zns.items()}
