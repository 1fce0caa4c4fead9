"""The sending process's keeper of the Zalo OA token (tracking.zalo_zns.TokenKeeper): each read
and each refresh in a short transaction of its own, committed at once, so a refreshed pair survives
whatever happens to the message being sent."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracking.zalo_tokens import is_due, renewed_token, seeded_token
from tracking.zalo_zns import ZaloSettings


class DatabaseTokens:
    def __init__(self, engine: Engine, settings: ZaloSettings, first: tuple[str, str]) -> None:
        self.engine, self.settings, self.first = engine, settings, first

    def current(self) -> str:
        with Session(self.engine) as session:
            row = seeded_token(session, self.first)
            session.commit()
            token, due = row.access_token, is_due(row)
        return self.renew(token) if due else token

    def renew(self, stale: str) -> str:
        with Session(self.engine) as session:
            token = renewed_token(session, self.settings, stale)
            session.commit()
        return token
