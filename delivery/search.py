"""Finding consignments the way counter staff are asked: by tracking number, dossier code, phone or
name."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from . import s10
from .access import Scope, visible
from .models import Consignment
from .recipient import fold_name, normalise_phone


def search_consignments(session: Session, query: str, scope: Scope,
                        limit: int = 50) -> list[Consignment]:
    """Newest first. An S10 number, dossier code or phone number matches exactly; anything else
    matches the recipient's name with or without diacritics (a name needs at least two
    characters)."""
    query = (query or "").strip()
    statement = (select(Consignment).where(visible(scope))
                 .order_by(col(Consignment.id).desc()).limit(limit))
    if s10.is_valid(query):
        return list(session.exec(
            statement.where(Consignment.tracking_number == s10.normalise(query))).all())
    if re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.[A-Za-z]\d{2}-\d{6}-\d{4}", query):
        return list(session.exec(statement.where(Consignment.dossier_code == query.upper())).all())
    if phone := normalise_phone(query):
        return list(session.exec(statement.where(Consignment.recipient_phone == phone)).all())
    if len(query) < 2:
        return []
    pattern = f"%{fold_name(query)}%"
    return list(session.exec(
        statement.where(col(Consignment.recipient_name_folded).like(pattern))).all())


def recent_consignments(session: Session, scope: Scope, limit: int = 50) -> list[Consignment]:
    return list(session.exec(select(Consignment).where(visible(scope))
                             .order_by(col(Consignment.id).desc()).limit(limit)).all())
