#!/usr/bin/env python3
"""Developer entry point: sets everything up, then runs the app, the tests or the benchmarks.

    python3 dev.py run [args...]     start main.py with the project's virtualenv
    python3 dev.py test [pytest...]  ruff, import layers, pytest on SQLite and on PostgreSQL,
                                     side by side (LOYALTY_TEST_SEQUENTIAL=1: one after the other)
    python3 dev.py test-sqlite [pytest...] / test-postgres [pytest...]
                                     only pytest on SQLite / only the PostgreSQL pass
    python3 dev.py bench             run every bench/*.py
    python3 dev.py web-build --backend URL --out DIR
                                     the member app as static files (Python in the browser)

Standard library only: this file runs before the virtualenv exists.
"""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".dev-py-installed"
EXTRAS = "server,web,kiosk,dev"

# Debian package -> a file whose presence shows it is installed.
SYSTEM_PACKAGES = {
    "postgresql": "/usr/lib/postgresql/*/bin/initdb",
    "chromium": "/usr/bin/chromium",
    "gnome-keyring": "/usr/bin/gnome-keyring-daemon",
    "dbus": "/usr/bin/dbus-run-session",
    "libsecret-tools": "/usr/bin/secret-tool",
}
# A throwaway cluster: no passwords, superuser "postgres", locale that always exists.
INITDB_OPTIONS = ["--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C.UTF-8"]
# Inside a private session bus: an unlocked Secret Service whose keyrings live in a temp dir.
KEYRING_WRAPPER = (
    'echo -n pw | XDG_DATA_HOME="$KEYRING_HOME" '
    "gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
    'exec "$@"'
)
# The test run's Secret Service: a throwaway login keyring kept as a plain file (see
# write_test_keyring), which any gnome-keyring daemon of the session opens unlocked. D-Bus
# starts a new daemon with that same folder if the first one dies, so a daemon crash costs
# one call, not every secret after it (tests/conftest.py reports such a restart).
TEST_KEYRING_WRAPPER = (
    'dbus-update-activation-environment XDG_DATA_HOME="$KEYRING_HOME" && '
    'XDG_DATA_HOME="$KEYRING_HOME" gnome-keyring-daemon --start --components=secrets >/dev/null; '
    'exec "$@"'
)


def header(title: str) -> None:
    print(f"\n{'=' * 72}\n== {title}\n{'=' * 72}", flush=True)


def run(cmd: list[str], **kwargs) -> int:
    print("$ " + shlex.join(cmd), flush=True)
    return subprocess.run(cmd, **kwargs).returncode


def is_root() -> bool:
    return os.geteuid() == 0


def has_apt() -> bool:
    return Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None


_apt_updated = False


def apt_install(packages: list[str]) -> int:
    global _apt_updated
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not _apt_updated:
        if run(["apt-get", "update"], env=env) != 0:
            return 1
        _apt_updated = True
    install = ["apt-get", "install", "-y", "--no-install-recommends"]
    return run(install + packages, env=env, stdin=subprocess.DEVNULL)


# --------------------------------------------------------------------------- virtualenv


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs under the system python3
        sys.exit(f"dev.py needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    if not VENV_PYTHON.exists():
        header(f"Creating virtualenv {VENV}")
        if importlib.util.find_spec("ensurepip") is None:
            # Debian's python3 ships venv's pip bootstrap in a separate package.
            venv_pkg = f"python3.{sys.version_info.minor}-venv"
            if not (is_root() and has_apt() and apt_install([venv_pkg]) == 0):
                sys.exit(f"Python's venv cannot install pip here; install {venv_pkg} first.")
        if run([sys.executable, "-m", "venv", str(VENV)]) != 0:
            sys.exit("could not create the virtualenv")
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    wanted = hashlib.sha256(pyproject + EXTRAS.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    header("Installing the project into .venv (pyproject.toml changed)")
    pip = [str(VENV_PYTHON), "-m", "pip", "install", "--disable-pip-version-check"]
    if run(pip + ["-e", f".[{EXTRAS}]"], cwd=ROOT) != 0:
        sys.exit("pip install failed")
    STAMP.write_text(wanted + "\n")


# --------------------------------------------------------------------------- system packages


def missing_system_packages() -> list[str]:
    return [pkg for pkg, probe in SYSTEM_PACKAGES.items() if not glob.glob(probe)]


def ensure_system_packages() -> None:
    missing = missing_system_packages()
    if not missing:
        return
    header("System packages")
    if is_root() and has_apt():
        if apt_install(missing) != 0:
            # gnome-keyring needs some session bus; dbus-x11 satisfies it without systemd.
            print("retrying with dbus-x11 as the session bus provider", flush=True)
            apt_install(missing + ["dbus-x11"])
        still = missing_system_packages()
        if still:
            print(f"WARNING: still missing {', '.join(still)}; tests needing them will skip")
    else:
        hint = "sudo apt-get install " if has_apt() else "install: "
        print(
            f"Missing system packages (tests needing them will skip):\n  {hint}"
            + " ".join(missing),
            flush=True,
        )


# --------------------------------------------------------------------------- tests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_test_keyring(home: Path) -> None:
    """An empty login keyring in gnome-keyring's plain-text format, as the default keyring.

    Only for the tests' throwaway folder: unlike the encrypted one made by ``--unlock``, it
    needs no password, so a daemon that D-Bus starts after a crash opens it unlocked."""
    keyrings = home / "keyrings"
    keyrings.mkdir(mode=0o700)
    login = keyrings / "login.keyring"
    login.write_text(
        "[keyring]\ndisplay-name=Login\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n"
    )
    login.chmod(0o600)
    (keyrings / "default").write_text("login")


def run_pytest(args: list[str], env: dict[str, str]) -> int:
    cmd = [str(VENV_PYTHON), "-m", "pytest", *args]
    if shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"):
        with tempfile.TemporaryDirectory(prefix="dev-keyring-") as keyring_home:
            write_test_keyring(Path(keyring_home))
            env = dict(env, KEYRING_HOME=keyring_home)
            wrapped = ["dbus-run-session", "--", "bash", "-c", TEST_KEYRING_WRAPPER, "_", *cmd]
            return run(wrapped, cwd=ROOT, env=env)
    return run(cmd, cwd=ROOT, env=env)


def split_paths(args: list[str]) -> tuple[list[str], list[str]]:
    """Separates test paths given on the command line from the other pytest options."""
    paths = [a for a in args if not a.startswith("-") and (ROOT / a.split("::")[0]).exists()]
    return paths, [a for a in args if a not in paths]


def integration_paths(paths: list[str]) -> list[str]:
    """The part of the selected paths that lies in tests/integration (all of it by default)."""
    integration = ROOT / "tests" / "integration"
    if not paths:
        return ["tests/integration"]
    chosen = []
    for path in paths:
        resolved = (ROOT / path.split("::")[0]).resolve()
        if resolved == integration or integration in resolved.parents:
            chosen.append(path)
        elif resolved in integration.parents:
            chosen.append("tests/integration")
    return sorted(set(chosen))


def postgres_skip_reason(paths: list[str]) -> str | None:
    """Why the PostgreSQL pass cannot run for these test paths, or None if it can."""
    if not integration_paths(paths):
        return "no integration tests selected"
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "PostgreSQL is not installed"
    return None


def postgres_tests(paths: list[str], options: list[str], env: dict[str, str]) -> int | None:
    """Runs the integration tests against a throwaway PostgreSQL cluster; None if skipped."""
    why = postgres_skip_reason(paths)
    if why is not None:
        print(f"\nSkipping the PostgreSQL run: {why}.")
        return None
    paths = integration_paths(paths)
    bindir = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1]).parent
    as_user = {}
    tmp = Path(tempfile.mkdtemp(prefix="dev-pg-"))
    if is_root():  # PostgreSQL refuses to run as root.
        pg = pwd.getpwnam("postgres")
        os.chown(tmp, pg.pw_uid, pg.pw_gid)
        as_user = {"user": pg.pw_uid, "group": pg.pw_gid, "extra_groups": []}
    data, port = tmp / "data", free_port()
    pg_env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
    try:
        initdb = [str(bindir / "initdb"), "-D", str(data), *INITDB_OPTIONS]
        if run(initdb, cwd=tmp, env=pg_env, stdout=subprocess.DEVNULL, **as_user) != 0:
            return 1
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {port}\n"
                f"unix_socket_directories = '{tmp}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        start = pg_ctl + ["-l", str(tmp / "server.log"), "-w", "-t", "60", "start"]
        if run(start, cwd=tmp, env=pg_env, **as_user) != 0:
            print((tmp / "server.log").read_text(errors="replace")[-3000:])
            return 1
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        print(f"LOYALTY_TEST_DATABASE_URL={url}", flush=True)
        return run_pytest(options + paths, dict(env, LOYALTY_TEST_DATABASE_URL=url))
    finally:
        if (data / "postmaster.pid").exists():
            stop = pg_ctl + ["-m", "fast", "-w", "stop"]
            if run(stop, cwd=tmp, env=pg_env, stdout=subprocess.DEVNULL, **as_user) != 0:
                run(pg_ctl + ["-m", "immediate", "stop"], cwd=tmp, env=pg_env, **as_user)
        shutil.rmtree(tmp, ignore_errors=True)


MAX_BRIEF_LINES = 12
# Set to run the passes one after the other instead of side by side (as before 2 Dec 2026):
# to tell whether a failure has to do with the passes sharing the machine.
SEQUENTIAL_ENV = "LOYALTY_TEST_SEQUENTIAL"
BROWSER_TESTS = "tests/integration/browser"


def with_basetemp_suffix(options: list[str], suffix: str) -> list[str]:
    """The options with any --basetemp moved to a sibling folder (the name plus `suffix`):
    pytest empties its basetemp when it starts, so passes side by side must not share one."""
    moved, follows = [], False
    for option in options:
        if follows:
            option, follows = option + suffix, False
        elif option == "--basetemp":
            follows = True
        elif option.startswith("--basetemp="):
            option += suffix
        moved.append(option)
    return moved


class BackgroundPass:
    """A pytest pass as a child `dev.py` (`test-sqlite` or `test-postgres`), run beside the
    browser tests.

    Measured on 2 Dec 2026 (2 cores): browser tests keep the machine about a quarter busy
    (141 s of CPU in 271 s for the member app's), since they wait on frames, servers and
    timers. One after the other, the SQLite and PostgreSQL passes took 38 + 18 minutes; side
    by side, a whole run from a fresh clone took 25-30 minutes. The child runs under `nice`,
    so when both want the CPU the browser tests, which wait on frames, go first. Its output
    goes to a file, printed whole once it is done."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], briefs: Path) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), *args]
        if shutil.which("nice"):
            cmd = ["nice", "-n", "10", *cmd]
        self.name = name
        slug = args[0]
        self.log = briefs / f"{slug}.log"
        self.brief = briefs / f"{slug}.txt"
        self.started = time.monotonic()
        self.ended: float | None = None
        header(f"{name}: in the background (its output follows the browser tests')")
        print(f"$ {shlex.join(cmd)} > {self.log}", flush=True)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=dict(env, LOYALTY_FAILURE_BRIEF=str(self.brief)),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self._waiter = threading.Thread(target=self._wait, daemon=True)
        self._waiter.start()

    def _wait(self) -> None:
        self.process.wait()
        self.ended = time.monotonic()

    def finish(self) -> tuple[str, bool, float, list[str]]:
        """Waits for the pass and prints its output; its line of the Summary."""
        self._waiter.join()
        header(f"{self.name} (ran in the background)")
        sys.stdout.write(self.log.read_text(encoding="utf-8", errors="replace"))
        sys.stdout.flush()
        elapsed = (self.ended or time.monotonic()) - self.started
        ok = self.process.returncode in (0, 5)  # 5: none collected
        return self.name, ok, elapsed, read_brief(self.brief)


def env_for_tests() -> dict[str, str]:
    """This process's environment without a database URL: each pass chooses its own."""
    return {k: v for k, v in os.environ.items() if k != "LOYALTY_TEST_DATABASE_URL"}


def read_brief(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def cmd_test_sqlite(args: list[str]) -> int:
    """Only pytest on SQLite (what `test` runs in the background for the non-browser tests)."""
    ensure_system_packages()
    env = env_for_tests()
    return run_pytest(args, env)


def cmd_test_postgres(args: list[str]) -> int:
    """Only the PostgreSQL pass (what `test` runs in the background)."""
    ensure_system_packages()
    env = env_for_tests()
    paths, options = split_paths(args)
    code = postgres_tests(paths, options, env)
    return 0 if code is None else code


def cmd_test(args: list[str]) -> int:
    ensure_system_packages()
    env = env_for_tests()
    paths, options = split_paths(args)
    results = []

    def step(name: str, action, brief: Path) -> None:  # noqa: ANN001
        header(name)
        # Each failing test adds a line here (tests/conftest.py): the Summary repeats them,
        # so the end of a long run's output says what failed and what the pages showed.
        env["LOYALTY_FAILURE_BRIEF"] = str(brief)
        started = time.monotonic()
        code = action()
        if code is not None:
            ok = code == 0 or (name.startswith("pytest") and code == 5)  # 5: none collected
            results.append((name, ok, time.monotonic() - started, read_brief(brief)))

    with tempfile.TemporaryDirectory(prefix="dev-failures-") as tmp:
        briefs = Path(tmp)
        ruff = [str(VENV / "bin" / "ruff"), "check", "."]
        step("ruff check", lambda: run(ruff, cwd=ROOT), briefs / "ruff.txt")
        lint = [str(VENV / "bin" / "lint-imports")]
        step("import layers (lint-imports)", lambda: run(lint, cwd=ROOT), briefs / "lint.txt")
        if os.environ.get(SEQUENTIAL_ENV):
            sqlite_args = options + (paths or ["tests"])
            step("pytest on SQLite", lambda: run_pytest(sqlite_args, env), briefs / "sqlite.txt")
            step(
                "pytest on PostgreSQL",
                lambda: postgres_tests(paths, options, env),
                briefs / "postgresql.txt",
            )
        else:
            # The whole suite in three passes side by side: the browser tests on SQLite here,
            # the rest on SQLite and the PostgreSQL pass in the background.
            background, foreground = [], paths
            if not paths:
                rest = [*with_basetemp_suffix(options, "-sqlite"), f"--ignore={BROWSER_TESTS}"]
                name = "pytest on SQLite, all but the browser tests"
                background.append(
                    BackgroundPass(name, ["test-sqlite", *rest, "tests"], env, briefs)
                )
                foreground = [BROWSER_TESTS]
            if (why := postgres_skip_reason(paths)) is not None:
                print(f"\nSkipping the PostgreSQL run: {why}.", flush=True)
            else:
                pg_args = ["test-postgres", *with_basetemp_suffix(options, "-postgresql"), *paths]
                background.append(BackgroundPass("pytest on PostgreSQL", pg_args, env, briefs))
            name = "pytest on SQLite" + (", the browser tests" if not paths else "")
            sqlite_args = options + foreground
            step(name, lambda: run_pytest(sqlite_args, env), briefs / "sqlite.txt")
            results.extend(job.finish() for job in background)

    header("Summary")
    for name, ok, elapsed, lines in results:
        print(f"  {'ok    ' if ok else 'FAILED'}  {name}  ({elapsed:.0f} s)")
        for line in lines[:MAX_BRIEF_LINES]:
            print(f"      {line}")
        if len(lines) > MAX_BRIEF_LINES:
            print(f"      ... and {len(lines) - MAX_BRIEF_LINES} more failures")
    return 0 if all(ok for _, ok, _, _ in results) else 1


# --------------------------------------------------------------------------- run / bench


def cmd_run(args: list[str]) -> int:
    """The member app (with the in-process demo server unless --backend is given)."""
    os.chdir(ROOT)
    cmd = [str(VENV_PYTHON), "main.py", *args]
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS") or sys.platform != "linux":
        os.execv(cmd[0], cmd)  # a desktop session: its own keyring holds the app's secrets
    # A headless Linux machine has no Secret Service: run one for this session, keeping its
    # keyring beside the virtualenv so a restart finds the member still signed in.
    ensure_system_packages()
    if not shutil.which("dbus-run-session") or not shutil.which("gnome-keyring-daemon"):
        os.execv(cmd[0], cmd)  # the app explains what is missing
    keyring_home = VENV / "dev-keyring"
    keyring_home.mkdir(exist_ok=True)
    env = dict(os.environ, KEYRING_HOME=str(keyring_home))
    wrapped = ["dbus-run-session", "--", "bash", "-c", KEYRING_WRAPPER, "_", *cmd]
    os.execvpe(wrapped[0], wrapped, env)


def cmd_bench(args: list[str]) -> int:
    scripts = sorted((ROOT / "bench").glob("*.py"))
    if not scripts:
        print("no benchmarks in bench/")
    failed = []
    for script in scripts:
        header(f"bench: {script.name}")
        if run([str(VENV_PYTHON), str(script), *args], cwd=ROOT) != 0:
            failed.append(script.name)
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
    return 1 if failed else 0


def cmd_web_build(args: list[str]) -> int:
    """The member app as a static web app (build_config/web_build.py says how)."""
    return run([str(VENV_PYTHON), str(ROOT / "build_config" / "web_build.py"), *args], cwd=ROOT)


COMMANDS = {
    "run": cmd_run,
    "test": cmd_test,
    "test-sqlite": cmd_test_sqlite,
    "test-postgres": cmd_test_postgres,
    "bench": cmd_bench,
    "web-build": cmd_web_build,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 2
    ensure_venv()
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
