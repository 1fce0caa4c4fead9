"""Login throttling: after too many wrong passwords an account, or a client address, is locked for a
while, and the lock doubles with every further failure (capped).

Counters live in the database, so every web process sees the same ones. Functions take a Session and
never commit; the caller commits with the login's audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from .models import UTCDateTime, utcnow

FORGET_AFTER = timedelta(minutes=15)  # failures this far apart do not add up
MAX_LOCK = timedelta(hours=1)


class LoginThrottle(SQLModel, table=True):
    """Recent failed logins of one key: ``account:<name>`` or ``address:<client address>``."""

    key: str = Field(primary_key=True, max_length=120)
    failures: int = Field(default=0)
    last_failure_at: datetime = Field(sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


@dataclass(frozen=True)
class ThrottlePolicy:
    """``limit`` failures lock a key for ``base_lock``; each failure after that doubles the lock."""

    limit: int = 5
    base_lock: timedelta = timedelta(minutes=1)


def account_key(username: str) -> str:
    return "account:" + username.strip().casefold()[:100]


def address_key(address: str | None) -> str:
    return "address:" + (address or "unknown")[:100]


def seconds_locked(session: Session, keys: list[str], now: datetime | None = None) -> int:
    """Seconds until every one of ``keys`` is unlocked (0: go ahead and check the password)."""
    now = now or utcnow()
    until = [row.locked_until
             for row in session.exec(select(LoginThrottle).where(col(LoginThrottle.key).in_(keys)))
             if row.locked_until and row.locked_until > now]
    return max((int((u - now).total_seconds()) + 1 for u in until), default=0)


def note_failure(session: Session, key: str, policy: ThrottlePolicy, now: datetime | None = None
                 ) -> LoginThrottle:
    """Count one failed login against ``key``; locks it once the policy's limit is reached. The row
    is read ``FOR UPDATE`` so that concurrent failures in several processes all count."""
    now = now or utcnow()
    row = _locked_row(session, key, now)
    if (now - row.last_failure_at > FORGET_AFTER
            and not (row.locked_until and row.locked_until > now)):
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= policy.limit:
        lock = min(policy.base_lock * 2 ** (row.failures - policy.limit), MAX_LOCK)
        row.locked_until = now + lock
    session.add(row)
    session.flush()
    return row


def clear_failures(session: Session, key: str) -> None:
    """Forget ``key``'s failures (after a successful login to that account)."""
    session.exec(delete(LoginThrottle).where(col(LoginThrottle.key) == key))


def forget_stale(session: Session, now: datetime | None = None) -> int:
    """Drop counters whose last failure is long past and whose lock has ended (they would count for
    nothing; a client address is personal data). Returns how many rows went."""
    now = now or utcnow()
    stale = (col(LoginThrottle.last_failure_at) < now - FORGET_AFTER) & (
        col(LoginThrottle.locked_until).is_(None) | (col(LoginThrottle.locked_until) < now))
    return session.exec(delete(LoginThrottle).where(stale)).rowcount


def _locked_row(session: Session, key: str, now: datetime) -> LoginThrottle:
    statement = select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
    row = session.exec(statement).first()
    if row is not None:
        return row
    try:
        with session.begin_nested():  # another process may insert the same key at the same moment
            session.add(LoginThrottle(key=key, failures=0, last_failure_at=now))
    except IntegrityError:
        pass
    return session.exec(statement.execution_options(populate_existing=True)).one()
