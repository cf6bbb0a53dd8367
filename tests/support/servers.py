"""Runs the real reference server (``python -m loyalty_server``) as a subprocess over loopback."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from .programmes import steady_programme

STAFF_CREDENTIAL = re.compile(r"stf_[A-Za-z0-9_-]+")
START_TIMEOUT = 30.0


class ServerStartError(RuntimeError):
    pass


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _child_env() -> dict[str, str]:
    return dict(os.environ, PYTHONUNBUFFERED="1")


class LoggedProcess:
    """What the test process wrappers share: a log file to read and the context manager."""

    log_path: Path

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        tail = "\n".join(self.log_text().splitlines()[-lines:])
        return f"--- last lines of {self.log_path}:\n{tail}"

    def __enter__(self):  # noqa: ANN204 - returns the subclass
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class ServerProcess(LoggedProcess):
    """One ``loyalty_server serve`` process; keeps its port and database across restarts."""

    def __init__(
        self,
        database_url: str,
        *,
        programme: str | os.PathLike | None = None,
        demo: bool = False,
        smtp_port: int | None = None,
        extra_args: tuple[str, ...] | list[str] = (),
        log_path: str | os.PathLike | None = None,
        sign_in_limits: bool = False,
    ) -> None:
        """Every test client comes from 127.0.0.1, so the sign-in limits per address and
        overall are lifted unless `sign_in_limits` (those per e-mail or phone stay)."""
        self.database_url = database_url
        self.programme = programme if programme is not None else steady_programme()
        self.demo = demo
        self.smtp_port = smtp_port
        self.extra_args = list(extra_args)
        self.sign_in_limits = sign_in_limits
        if log_path is None:
            fd, log_path = tempfile.mkstemp(prefix="loyalty-server-", suffix=".log")
            os.close(fd)
        self.log_path = Path(log_path)
        self.port: int | None = None
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the server has not been started")
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "loyalty_server",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--database-url",
            self.database_url,
        ]
        if self.programme is not None:
            cmd += ["--programme", str(self.programme)]
        if self.demo:
            cmd.append("--demo")
        if self.smtp_port is not None:
            cmd += [
                "--smtp-host",
                "127.0.0.1",
                "--smtp-port",
                str(self.smtp_port),
                "--smtp-from",
                "loyalty@harbor.test",
            ]
        if not self.sign_in_limits:
            lifted = str(10**9)
            for option in (
                "--code-requests-per-address",
                "--verifies-per-address",
                "--code-requests-per-hour",
                "--verifies-per-hour",
            ):
                cmd += [option, lifted]
        return cmd + self.extra_args

    def start(self) -> ServerProcess:
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("the server is already running")
        if self.port is None:
            self.port = free_port()
        with open(self.log_path, "ab") as log:
            log.write(f"\n--- starting: {' '.join(self.command())}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=_child_env(),
            )
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerStartError(
                    f"server exited with code {self.process.returncode}\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.kill()
        raise ServerStartError(
            f"GET /healthz did not answer 200 within {START_TIMEOUT:.0f} s\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """Terminates the server gracefully (SIGTERM), killing it if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """Kills the server abruptly (SIGKILL), as a crash or power cut would."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def restart(self) -> ServerProcess:
        """Stops and starts again on the same port with the same database."""
        self.stop()
        return self.start()


def run_cli(*args: str, database_url: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Runs ``python -m loyalty_server ARGS --database-url URL``; output captured as text."""
    cmd = [sys.executable, "-m", "loyalty_server", *args, "--database-url", database_url]
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=_child_env(),
    )


def add_staff(database_url: str, name: str, store: str = "Harbor Coffee Pier 7") -> str:
    """Adds a staff member with ``staff add`` and returns the printed ``stf_…`` credential."""
    result = run_cli("staff", "add", name, "--store", store, database_url=database_url)
    match = STAFF_CREDENTIAL.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise AssertionError(
            f"staff add exited {result.returncode} without a stf_ credential\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return match.group(0)


def revoke_staff(server, name: str) -> None:  # noqa: ANN001
    """Revokes, with ``staff list`` and ``staff revoke``, the credential of the staff member
    whose listed line names `name`."""
    listed = run_cli("staff", "list", database_url=server.database_url).stdout
    staff_id = next(line for line in listed.splitlines() if name in line).split()[0]
    assert run_cli("staff", "revoke", staff_id, database_url=server.database_url).returncode == 0
