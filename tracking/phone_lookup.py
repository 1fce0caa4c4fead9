"""Finding a consignment by what a citizen without the link knows: the tracking number and the last
four digits of the recipient's phone. A wrong pair and an unknown number look the same to the
caller.

Guessing the four digits is throttled per client and per tracking number (``RateLimiter``): a fixed
window counted in Redis (INCR + EXPIRE, shared by every web process) or, without Redis,
in this process.
"""

from __future__ import annotations

import hmac
import re
import threading
import time
from dataclasses import dataclass, field

from redis import Redis
from redis.exceptions import RedisError
from sqlmodel import Session, select

from delivery import s10
from delivery.models import Consignment

WINDOW_SECONDS = 3600
# ASCII digits only: compare_digest raises a TypeError on other text.
PHONE_LAST4_PATTERN = r"^[0-9]{4}$"


def could_match(tracking_number: str, phone_last4: str) -> bool:
    """Whether the pair has the shape of one that may match: an S10 number (check digit included;
    spaces, dashes and case forgiven) and four ASCII digits. Any other pair is answered "not found"
    at once, with no query and nothing counted."""
    return s10.is_valid(tracking_number or "") and bool(
        re.fullmatch(PHONE_LAST4_PATTERN, phone_last4 or ""))


def find_by_number_and_phone(session: Session, tracking_number: str,
                             phone_last4: str) -> Consignment | None:
    """The consignment whose number and phone's last four digits both match, else None
    (whichever is wrong)."""
    if not could_match(tracking_number, phone_last4):
        return None
    number = s10.normalise(tracking_number)
    consignment = session.exec(
        select(Consignment).where(Consignment.tracking_number == number)
    ).first()
    digits = re.sub(r"\D", "", consignment.recipient_phone) if consignment else "0000"
    # Compare even when the number is unknown, so both answers take the same time.
    same = hmac.compare_digest(digits[-4:], phone_last4)
    return consignment if consignment is not None and same else None


@dataclass
class RateLimiter:
    """At most ``limit`` hits per key per ``window`` seconds. ``hit`` returns 0 when allowed, else
    the seconds to wait. With Redis down it falls back to counting in this process rather than
    opening the gate."""

    limit: int
    window: int = WINDOW_SECONDS
    redis: Redis | None = None
    _counts: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, key: str) -> int:
        if self.redis is not None:
            try:
                return self._hit_redis(key)
            except RedisError:
                pass
        return self._hit_local(key)

    def _hit_redis(self, key: str) -> int:
        name = f"ratelimit:{key}"
        with self.redis.pipeline() as pipe:
            count, _, ttl = pipe.incr(name).expire(name, self.window, nx=True).ttl(name).execute()
        return 0 if count <= self.limit else max(int(ttl), 1)

    def _hit_local(self, key: str) -> int:
        now = time.monotonic()
        with self._lock:
            count, start = self._counts.get(key, (0, now))
            if now - start >= self.window:
                count, start = 0, now
            self._counts[key] = (count + 1, start)
            if len(self._counts) > 100_000:  # a flood of distinct keys must not eat the memory
                self._counts.clear()
        return 0 if count + 1 <= self.limit else max(int(start + self.window - now), 1)
