"""What a collection (a dossier going to the agency) adds to the consignment's answer
(web.serialise.collection_json)."""

import datetime as dt
from typing import Literal

from pydantic import Field

from delivery.collections import FEE_PAYERS

from .answer_base import Answer


class Window(Answer):
    date: dt.date
    from_: str = Field(alias="from")
    to: str


class ChecklistEntry(Answer):
    name: str
    copies: int


class Fee(Answer):
    payer: Literal[FEE_PAYERS]
    amount_vnd: int | None


class AgencyReceipt(Answer):
    number: str
    appointment_date: dt.date | None
