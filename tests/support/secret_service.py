"""The mark for tests that keep secrets in the real OS keyring."""

from __future__ import annotations

import keyring
import pytest

needs_secret_service = pytest.mark.skipif(
    "SecretService" not in type(keyring.get_keyring()).__module__,
    reason="needs a real Secret Service: run the suite with `python3 dev.py test`",
)
