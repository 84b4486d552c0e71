"""Rate limits on Django's cache: how many times a purpose (a reset letter, a registration…) may happen per
subject (an address, an IP) in a period.

A sliding window, estimated from two fixed windows (the current one counts fully, the previous one by the part
of it still inside the period), so a burst at a window's edge does not get the limit twice. Each counted hit
claims a numbered slot in the current window with `cache.add`, which is atomic on every backend (a unique key
in the database cache, SET NX in Redis, a lock in locmem) — unlike `cache.incr`, which the database cache does
as a read and a write, so two processes could both count 3. A window thus never holds more than `limit` hits,
whatever runs in parallel. Subjects are hashed: no e-mail or IP address is stored in the cache.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.core.cache import caches

CACHE_ALIAS = "default"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds


def throttle_hit(*, purpose: str, subject: str, rate: Rate, now: float | None = None) -> bool:
    """Count one occurrence and return True, or return False (counting nothing) when the limit is reached.
    If the cache itself fails (Redis down), the request is let through and the failure logged: an outage of the
    limit's store must not lock every person out of password reset and registration."""
    if rate.limit <= 0:
        return False
    try:
        return _hit(purpose, subject, rate, now)
    except Exception:
        log.exception("rate limit %s not checked: the cache failed", purpose)
        return True


def _hit(purpose: str, subject: str, rate: Rate, now: float | None) -> bool:
    cache = caches[CACHE_ALIAS]
    now = time.time() if now is None else now
    window, elapsed = divmod(now, rate.period)
    window = int(window)
    current, previous = _slot_keys(purpose, subject, window, rate), _slot_keys(purpose, subject, window - 1, rate)
    taken = cache.get_many(current + previous)
    used_now = sum(key in taken for key in current)
    carried = sum(key in taken for key in previous) * (1 - elapsed / rate.period)
    if used_now + carried >= rate.limit:
        return False
    # the slot after the last one we saw taken; a parallel request that took it meanwhile makes `add` fail
    # and this one tries the next
    timeout = 2 * rate.period + 60  # the window, the next one that still looks back at it, and some slack
    return any(cache.add(key, 1, timeout) for key in current[used_now:])


def throttle_reset(*, purpose: str, subject: str, rate: Rate, now: float | None = None) -> None:
    """Forget the counts of this subject (the current and the previous window)."""
    window = int((time.time() if now is None else now) // rate.period)
    keys = _slot_keys(purpose, subject, window, rate) + _slot_keys(purpose, subject, window - 1, rate)
    caches[CACHE_ALIAS].delete_many(keys)


def _slot_keys(purpose: str, subject: str, window: int, rate: Rate) -> list[str]:
    digest = hashlib.sha256(f"{purpose}\0{subject}".encode()).hexdigest()[:32]
    return [f"throttle:{purpose}:{digest}:{rate.period}:{window}:{slot}" for slot in range(rate.limit)]
