"""The mark for tests that keep secrets in the real OS keyring."""

from __future__ import annotations

import keyring
import pytest

needs_secret_service = pytest.mark.skipif(
    "SecretService" not in type(keyring.get_keyring()).__module__,
    reason="needs a real Secret Service: run the suite with `python3 dev.py test`",
)


def secret_service_pid() -> int | None:
    """The process id of the daemon serving org.freedesktop.secrets on this session bus."""
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        bus = DBusAddress(
            "/org/freedesktop/DBus",
            bus_name="org.freedesktop.DBus",
            interface="org.freedesktop.DBus",
        )
        with open_dbus_connection(bus="SESSION") as connection:
            call = new_method_call(
                bus, "GetConnectionUnixProcessID", "s", ("org.freedesktop.secrets",)
            )
            reply = connection.send_and_get_reply(call, timeout=5)
        return int(reply.body[0]) if reply.body else None
    except Exception:  # no session bus, or nobody owns the name (yet)
        return None
