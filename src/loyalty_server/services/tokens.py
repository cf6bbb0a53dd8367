"""Opaque bearer tokens: random, shown once, stored only as SHA-256 hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_seed() -> str:
    """A random seed for :func:`successor_pair` (stored; useless without the refresh token)."""
    return secrets.token_hex(16)


def successor_pair(refresh_token: str, seed: str) -> tuple[str, str]:
    """The access and refresh token that replace ``refresh_token``, derived from it and a
    stored random seed, so the server can hand the same pair out again for a short while
    without keeping either token in clear: the seed alone (a database copy) gives nothing,
    and the old refresh token alone gives nothing either."""
    key = hmac.new(seed.encode("ascii"), refresh_token.encode("utf-8"), hashlib.sha256).digest()

    def derive(prefix: str) -> str:
        mac = hmac.new(key, prefix.encode("ascii"), hashlib.sha256).digest()
        return f"{prefix}_{base64.urlsafe_b64encode(mac).decode('ascii').rstrip('=')}"

    return derive("lat"), derive("lrt")
