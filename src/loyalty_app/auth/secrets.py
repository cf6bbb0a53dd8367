"""Where the app keeps its secrets: tokens and the card secret, behind one small interface.

* :class:`KeyringSecretStore`: the operating system's keyring (Secret Service on Linux,
  Keychain on macOS, Credential Manager on Windows) via the ``keyring`` package; for the
  desktop app and the command line.  It refuses to start without a real keyring: there
  is no fallback to a plaintext file.
* :class:`FletSecureStorageStore`: the phone's secure storage (Keychain, Android
  Keystore) through the ``flet-secure-storage`` service, passed in by the UI.
* :class:`MemorySecretStore`: a dictionary, for tests.

Secret names of a member are ``member:<member id>:<what>``; see :func:`member_secret_names`.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "ACCESS_TOKEN",
    "CARD_SECRET",
    "DEFAULT_SERVICE",
    "FletSecureStorageStore",
    "KeyringSecretStore",
    "MemorySecretStore",
    "NoSecretBackend",
    "REFRESH_TOKEN",
    "SecretStore",
    "SecretStoreError",
    "member_secret_name",
    "member_secret_names",
    "wipe_member",
]

DEFAULT_SERVICE = "loyalty-app"

#: What is stored for each signed-in member.
ACCESS_TOKEN = "access_token"
REFRESH_TOKEN = "refresh_token"
CARD_SECRET = "card_secret"
_MEMBER_SECRETS = (ACCESS_TOKEN, REFRESH_TOKEN, CARD_SECRET)

NO_KEYRING_FIX = (
    "no OS keyring available: on Linux install and unlock a Secret Service "
    "(e.g. `apt install gnome-keyring` and run inside a desktop session or "
    "`dbus-run-session`), or set PYTHON_KEYRING_BACKEND to a backend you trust"
)


class NoSecretBackend(RuntimeError):
    """There is nowhere safe to keep secrets; the message says how to provide one."""


class SecretStoreError(RuntimeError):
    """The secret store failed (for example a keyring that stayed locked)."""


@runtime_checkable
class SecretStore(Protocol):
    """Named secrets (short strings).  ``get`` of an unknown name is None; ``delete`` of
    an unknown name does nothing."""

    async def get(self, name: str) -> str | None: ...

    async def set(self, name: str, value: str) -> None: ...

    async def delete(self, name: str) -> None: ...


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name:
        raise ValueError("a secret name must be a non-empty string")


def _check_value(value: str) -> None:
    if not isinstance(value, str):
        raise TypeError("a secret value must be a string")


# --------------------------------------------------------------------------- member secrets


def member_secret_name(member_id: str, what: str) -> str:
    """The name of one of a member's secrets: ``member:<member id>:<what>``."""
    if not isinstance(member_id, str) or not member_id:
        raise ValueError("member_id must be a non-empty string")
    return f"member:{member_id}:{what}"


def member_secret_names(member_id: str) -> list[str]:
    """Names of everything stored for *member_id*: access token, refresh token, card secret."""
    return [member_secret_name(member_id, what) for what in _MEMBER_SECRETS]


async def wipe_member(store: SecretStore, member_id: str) -> None:
    """Delete every secret of *member_id* (signing out, or another member signing in).

    Tries every name even when one fails, then raises the first failure.
    """
    first_error: BaseException | None = None
    for name in member_secret_names(member_id):
        try:
            await store.delete(name)
        except Exception as exc:  # keep deleting the others
            first_error = first_error or exc
    if first_error is not None:
        raise first_error


# --------------------------------------------------------------------------- OS keyring


def _backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _unusable(backend: object) -> str | None:
    """Why *backend* cannot keep secrets safely, or None when it can."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return f"keyring chose {_backend_name(backend)}"
    if _backend_name(backend) == "keyrings.alt.file.PlaintextKeyring":
        return (
            "keyring chose keyrings.alt.file.PlaintextKeyring, which stores secrets in plain text"
        )
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        reasons = [reason for reason in map(_unusable, chained) if reason]
        if not chained or len(reasons) == len(chained):
            return "keyring chose a chainer backend without any usable keyring"
        # set_password uses the first chained backend that accepts it: all must be safe.
        plaintext = [r for r in reasons if "plain text" in r]
        if plaintext:
            return plaintext[0]
    return None


# One keyring call at a time in this process. gnome-keyring (42, Debian 12) is not safe
# for concurrent clients: with a few threads writing at once it answered "Item does not
# exist" for an item just stored, then crashed, and the daemon D-Bus started in its place
# had the login keyring locked, so every later secret failed until the next log-in.
_KEYRING_TURN = threading.Lock()


def _in_turn(call: Any, *args: str) -> Any:
    with _KEYRING_TURN:
        return call(*args)


class KeyringSecretStore:
    """Secrets in the OS keyring, under *service* with the secret name as user name.

    The blocking ``keyring`` calls run in a worker thread, one at a time per process
    (see ``_KEYRING_TURN``).  Construction raises
    :class:`NoSecretBackend` when ``keyring`` found no real keyring (its fail or null
    backend, or a chainer with nothing to chain); *backend* overrides
    ``keyring.get_keyring()``, mainly for tests.
    """

    def __init__(self, service: str = DEFAULT_SERVICE, *, backend: Any = None) -> None:
        import keyring

        if not isinstance(service, str) or not service:
            raise ValueError("service must be a non-empty string")
        self.service = service
        self._backend = backend if backend is not None else keyring.get_keyring()
        reason = _unusable(self._backend)
        if reason is not None:
            raise NoSecretBackend(f"{NO_KEYRING_FIX} ({reason})")

    @property
    def backend_name(self) -> str:
        return _backend_name(self._backend)

    def __repr__(self) -> str:
        return f"KeyringSecretStore(service={self.service!r}, backend={self.backend_name})"

    async def _call(self, method: str, *args: str) -> Any:
        from keyring.errors import KeyringError

        try:
            call = getattr(self._backend, method)
            return await asyncio.to_thread(_in_turn, call, self.service, *args)
        except KeyringError as exc:
            raise SecretStoreError(f"the OS keyring failed: {exc}") from exc

    async def get(self, name: str) -> str | None:
        _check_name(name)
        return await self._call("get_password", name)

    def get_blocking(self, name: str) -> str | None:
        """``get`` in the calling thread, for worker threads only (it blocks on the keyring;
        the app reads the card this way while the browser loads its client)."""
        from keyring.errors import KeyringError

        _check_name(name)
        try:
            return _in_turn(self._backend.get_password, self.service, name)
        except KeyringError as exc:
            raise SecretStoreError(f"the OS keyring failed: {exc}") from exc

    async def set(self, name: str, value: str) -> None:
        _check_name(name)
        _check_value(value)
        await self._call("set_password", name, value)

    async def delete(self, name: str) -> None:
        from keyring.errors import PasswordDeleteError

        _check_name(name)
        try:
            await self._call("delete_password", name)
        except SecretStoreError as exc:
            if not isinstance(exc.__cause__, PasswordDeleteError):
                raise
            # Nothing stored under that name: already deleted.


# --------------------------------------------------------------------------- Flet (phones)


class FletSecureStorageStore:
    """Secrets in the ``flet-secure-storage`` service (``flet_secure_storage.SecureStorage``).

    *storage* is any object with async ``get(key) -> str | None``, ``set(key, value)``
    and ``remove(key)``; this module never imports ``flet_secure_storage`` itself.  The
    UI creates the service and adds it to the page, e.g.::

        from flet_secure_storage import SecureStorage
        storage = SecureStorage()
        page.services.append(storage)
        secrets = FletSecureStorageStore(storage)

    Keys are the secret names with *prefix* in front, so the app's entries stand apart
    from anything else the storage holds.
    """

    def __init__(self, storage: Any, *, prefix: str = f"{DEFAULT_SERVICE}/") -> None:
        for method in ("get", "set", "remove"):
            if not callable(getattr(storage, method, None)):
                raise TypeError(f"storage needs an async {method}() method")
        self._storage = storage
        self.prefix = prefix

    def _key(self, name: str) -> str:
        _check_name(name)
        return self.prefix + name

    async def get(self, name: str) -> str | None:
        value = await self._storage.get(self._key(name))
        return value if isinstance(value, str) else None

    async def set(self, name: str, value: str) -> None:
        _check_value(value)
        await self._storage.set(self._key(name), value)

    async def delete(self, name: str) -> None:
        await self._storage.remove(self._key(name))


# --------------------------------------------------------------------------- tests


class MemorySecretStore:
    """Secrets in a dictionary, gone when the process ends.  For tests only."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def get(self, name: str) -> str | None:
        _check_name(name)
        return self.values.get(name)

    async def set(self, name: str, value: str) -> None:
        _check_name(name)
        _check_value(value)
        self.values[name] = value

    async def delete(self, name: str) -> None:
        _check_name(name)
        self.values.pop(name, None)
