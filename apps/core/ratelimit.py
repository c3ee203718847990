"""A small fixed-window rate limit in the cache, for the portal's own actions (allauth limits its
own pages). Limits are in settings.PORTAL_RATE_LIMITS: scope -> (uses, seconds)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def allow(*, scope: str, key: str) -> bool:
    """Count one use of `scope` by `key` (an account id or a client address) in the current
    window; False once the limit is passed. Keys are hashed, so no address sits in the cache."""
    limit, seconds = settings.PORTAL_RATE_LIMITS[scope]
    window = int(time.time() // seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"portal-rl:{scope}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds + 1)
        used = 1
    return int(used) <= int(limit)
