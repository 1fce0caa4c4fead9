"""The Zalo OA token, kept in the database for every worker (provider_token).

Zalo's refresh token works once: two workers refreshing with the same one would leave one of them,
and then everyone, without a token. So a refresh happens under the row's lock, and a worker that
finds the token already changed by another since it failed uses that one instead of refreshing
again. Nothing here commits (web.zalo_token_keeper does, at once: a new pair must not be lost with a
message's transaction).
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from delivery.models import utcnow

from .channel_models import ProviderToken
from .zalo_zns import ZaloSettings, refresh_token

PROVIDER = "zalo"
# renewed a little before Zalo would refuse it
EARLY = timedelta(minutes=5)


def _locked(session: Session) -> ProviderToken | None:
    return session.exec(select(ProviderToken).where(ProviderToken.provider == PROVIDER)
                        .with_for_update()).first()


def seeded_token(session: Session, first: tuple[str, str]) -> ProviderToken:
    """The stored token, or the first pair from the configuration (ZALO_ACCESS_TOKEN,
    ZALO_REFRESH_TOKEN) stored now; without a first access token it counts as expired."""
    row = session.get(ProviderToken, PROVIDER)
    if row is None:
        access, refresh = first
        row = ProviderToken(provider=PROVIDER, access_token=access, refresh_token=refresh,
                            expires_at=utcnow() + (timedelta(hours=1) if access else timedelta(0)))
        session.add(row)
        session.flush()
    return row


def is_due(row: ProviderToken) -> bool:
    return not row.access_token or row.expires_at - EARLY <= utcnow()


def renewed_token(session: Session, settings: ZaloSettings, stale: str) -> str:
    """A token other than ``stale``: the stored one if another worker already renewed it, else a
    refresh stored now (under the row lock). Raises TokenRefused, or OSError."""
    row = _locked(session)
    if row is None:
        raise LookupError("no Zalo token stored yet (seeded_token first)")
    if row.access_token and row.access_token != stale and not is_due(row):
        return row.access_token
    token = refresh_token(settings, row.refresh_token)
    row.access_token, row.refresh_token = token.access_token, token.refresh_token
    row.expires_at, row.updated_at = token.expires_at, utcnow()
    session.add(row)
    return row.access_token
