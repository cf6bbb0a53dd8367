"""Secrets in the real OS keyring (Secret Service), and the refusal to run without one.

``python3 dev.py test`` runs pytest inside ``dbus-run-session`` with an unlocked
gnome-keyring, so the Secret Service tests always run there; run by hand without a
Secret Service they skip and say why.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid

import keyring
import pytest
from keyring.backends import chainer, null
from keyring.errors import PasswordDeleteError

from loyalty_app.auth.secrets import (
    FletSecureStorageStore,
    KeyringSecretStore,
    NoSecretBackend,
    SecretStore,
    member_secret_names,
    wipe_member,
)

FIX_WORDS = ("apt install gnome-keyring", "dbus-run-session", "PYTHON_KEYRING_BACKEND")


def _backend_name() -> str:
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


needs_secret_service = pytest.mark.skipif(
    _backend_name() != "keyring.backends.SecretService.Keyring",
    reason=(
        f"needs an unlocked Secret Service, but keyring chose {_backend_name()}; "
        "`python3 dev.py test` provides one (gnome-keyring inside dbus-run-session)"
    ),
)


@pytest.fixture
def service():
    """A keyring service name of its own, emptied afterwards."""
    name = f"loyalty-app-test-{uuid.uuid4().hex[:12]}"
    yield name
    backend = keyring.get_keyring()
    for item in ("a", "b", *member_secret_names("m1"), *member_secret_names("m2")):
        with contextlib.suppress(PasswordDeleteError):
            backend.delete_password(name, item)


@needs_secret_service
def test_secret_round_trip_through_the_secret_service(service) -> None:
    store = KeyringSecretStore(service)
    assert isinstance(store, SecretStore)
    assert store.backend_name == "keyring.backends.SecretService.Keyring"

    async def scenario() -> None:
        assert await store.get("a") is None
        await store.set("a", "acc_Ünïcødé-令牌-0123")
        assert await store.get("a") == "acc_Ünïcødé-令牌-0123"
        await store.set("a", "replaced")
        assert await store.get("a") == "replaced"
        await store.delete("a")
        assert await store.get("a") is None
        await store.delete("a")  # deleting what is not there is fine

    asyncio.run(scenario())


@needs_secret_service
def test_many_secrets_at_once_leave_the_keyring_working(service) -> None:
    """gnome-keyring 42 loses items and then crashes under concurrent clients: four threads
    setting, reading and deleting at once got "Item does not exist" for an item just set,
    then the daemon died, and D-Bus started a new one whose login keyring is locked (every
    later secret: "Failed to unlock the collection!"). One sign-in writes three secrets and
    two members' sessions may write at once, so the store must take turns."""
    stores = [KeyringSecretStore(service) for _ in range(4)]

    async def one(store: KeyringSecretStore, n: int) -> None:
        for i in range(40):
            name, value = ("a" if n % 2 else "b"), f"tok-{n}-{i}"
            await store.set(f"{name}{n}-{i}", value)
            assert await store.get(f"{name}{n}-{i}") == value
            await store.delete(f"{name}{n}-{i}")

    async def scenario() -> None:
        await asyncio.gather(*(one(store, n) for n, store in enumerate(stores)))
        await stores[0].set("a", "still here")
        assert await stores[0].get("a") == "still here"

    asyncio.run(scenario())


@needs_secret_service
def test_secret_lands_in_the_secret_service_itself(service) -> None:
    if shutil.which("secret-tool") is None:
        pytest.skip("needs secret-tool (apt-get install libsecret-tools)")
    asyncio.run(KeyringSecretStore(service).set("b", "seen-by-secret-tool"))
    found = subprocess.run(
        ["secret-tool", "lookup", "service", service, "username", "b"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "seen-by-secret-tool"


@needs_secret_service
def test_wipe_member_removes_all_their_secrets_and_only_theirs(service) -> None:
    store = KeyringSecretStore(service)

    async def scenario() -> None:
        for name in member_secret_names("m1") + member_secret_names("m2"):
            await store.set(name, f"value of {name}")
        await wipe_member(store, "m1")
        for name in member_secret_names("m1"):
            assert await store.get(name) is None
        for name in member_secret_names("m2"):
            assert await store.get(name) == f"value of {name}"
        await wipe_member(store, "m1")  # again: nothing left, no error

    asyncio.run(scenario())


def test_member_secret_names_cover_tokens_and_card_secret() -> None:
    assert member_secret_names("41a43efc") == [
        "member:41a43efc:access_token",
        "member:41a43efc:refresh_token",
        "member:41a43efc:card_secret",
    ]
    with pytest.raises(ValueError):
        member_secret_names("")


def test_without_a_keyring_the_store_refuses_with_the_fix_and_writes_no_file(tmp_path) -> None:
    home = tmp_path / "home"
    dirs = {
        "HOME": home,
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_STATE_HOME": home / ".local" / "state",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    env.update({key: str(path) for key, path in dirs.items()})
    script = textwrap.dedent(
        """
        import asyncio, json
        from loyalty_app.auth.secrets import KeyringSecretStore, NoSecretBackend
        try:
            store = KeyringSecretStore()
        except NoSecretBackend as exc:
            print(json.dumps({"raised": True, "runtime_error": isinstance(exc, RuntimeError),
                              "message": str(exc)}))
        else:
            asyncio.run(store.set("member:x:access_token", "must-not-land-anywhere"))
            print(json.dumps({"raised": False, "message": repr(store)}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["raised"], result["message"]
    assert result["runtime_error"]
    for words in FIX_WORDS:
        assert words in result["message"]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [], f"files were written: {written}"
    assert "must-not-land-anywhere" not in done.stdout + done.stderr


@pytest.mark.parametrize("kind", ["null", "empty chainer"])
def test_null_and_empty_chainer_backends_are_refused(kind) -> None:
    class EmptyChainer(chainer.ChainerBackend):
        backends = []

    backend = null.Keyring() if kind == "null" else EmptyChainer()
    with pytest.raises(NoSecretBackend, match="PYTHON_KEYRING_BACKEND"):
        KeyringSecretStore(backend=backend)


# ----------------------------------------------------------------------- flet-secure-storage


class FakeSecureStorage:
    """The part of flet_secure_storage.SecureStorage (1.0.5) the adapter uses."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    async def get(self, key: str, **_platform_options) -> str | None:
        return self.data.get(key)

    async def set(self, key: str, value: str, **_platform_options) -> None:
        if value is None:
            raise ValueError("value can't be None")
        self.data[key] = value

    async def remove(self, key: str, **_platform_options) -> None:
        self.data.pop(key, None)


def test_flet_secure_storage_adapter_round_trips_and_wipes() -> None:
    storage = FakeSecureStorage()
    store = FletSecureStorageStore(storage)
    assert isinstance(store, SecretStore)

    async def scenario() -> None:
        names = member_secret_names("m1")
        for name in names:
            await store.set(name, "s3cret")
        assert set(storage.data) == {f"loyalty-app/{name}" for name in names}
        assert await store.get(names[0]) == "s3cret"
        await wipe_member(store, "m1")
        assert storage.data == {}
        assert await store.get(names[0]) is None

    asyncio.run(scenario())


def test_secrets_module_imports_neither_flet_nor_its_secure_storage() -> None:
    script = (
        "import sys, loyalty_app.auth.secrets\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flet', 'flet_secure_storage', 'keyring')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
