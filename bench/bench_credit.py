"""Credit-purchase throughput and latency of the real server, beside a bare FastAPI insert.

Starts the loyalty server (a subprocess on loopback, SQLite file in a temp dir) with a staff
credential and MEMBERS members joined at the till, then for SECONDS seconds keeps CONCURRENCY
connections busy with ``POST /v1/checkout/credit {"member_number": ..., "amount": "4.75"}``,
each with its own Idempotency-Key. The same client (threads, one keep-alive connection each)
then drives bench/bare_app.py (FastAPI +
one INSERT, uvicorn, same database kind) on the same machine. Prints requests per second,
p50 / p99 latency, server CPU per request, and the ratio to the bare app.
Targets: at least 70 % of the bare throughput, p99 <= 50 ms.

A second line, "regulars", credits REGULARS members who have had a few dozen credits each
already (the first purchase, the referral and the weekly badge behind them), as a chain's
tills mostly serve; it is shown for comparison, the targets are judged on new members.

A third line, "staff check alone", is ``GET /v1/checkout/whoami`` on the same server: the
till's credential checked and nothing else. No credit can go faster; its ratio to the bare
insert is the ceiling of the credit's.

With LOYALTY_BENCH_POSTGRES_URL (a SQLAlchemy URL of a server where databases may be created)
both run against PostgreSQL as well; without it, a throwaway local cluster is started when
PostgreSQL is installed (as in dev.py). ``--profile`` also profiles the credit path in-process
with cProfile and prints where the time goes.

With PostgreSQL it also compares 1, 2 and 4 `serve --workers` processes (``--workers``).

    .venv/bin/python bench/bench_credit.py [--seconds 10] [--profile] [--no-postgres]
        [--workers 1,2,4]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import glob
import http.client
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
# Run as scripts by path: the repository root makes the test helpers importable as tests.support.
sys.path.insert(0, str(ROOT))

from tests.support.programmes import DEMO_PROGRAMME  # noqa: E402
from tests.support.servers import ServerProcess, add_staff  # noqa: E402

CONCURRENCY = 16
MEMBERS = 200
# Regulars: fewer members, each credited for a while before the measured run.
REGULARS = 40
REGULAR_SECONDS = 8.0
WARMUP_SECONDS = 2.0
TARGET_RATIO = 0.70
TARGET_P99_MS = 50.0
AMOUNT = "4.75"
POSTGRES_ENV = "LOYALTY_BENCH_POSTGRES_URL"


# --------------------------------------------------------------------------- load client


@dataclass
class Result:
    label: str
    completed: int  # 2xx answers inside the measured window
    errors: int  # anything else inside the window
    seconds: float
    latencies_ms: list[float]
    server_cpu_s: float | None  # CPU the server process used inside the window
    client_cpu_s: float

    @property
    def rps(self) -> float:
        return self.completed / self.seconds

    def percentile(self, p: float) -> float:
        data = sorted(self.latencies_ms)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, round(p / 100 * (len(data) - 1)))]

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_s is None or not self.completed:
            return None
        return self.server_cpu_s * 1000 / self.completed


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def tree_cpu_seconds(pid: int) -> float | None:
    """CPU seconds of a process and its children (a `serve --workers N` parent and its
    workers), read from /proc; None where /proc is missing."""
    total = process_cpu_seconds(pid)
    if total is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        total += tree_cpu_seconds(int(child)) or 0.0
    return total


def _worker(
    n: int,
    base_url: str,
    path: str,
    headers: dict[str, str],
    bodies: list[bytes],
    run: str,
    window: tuple[float, float],
    out: list[tuple[float, bool]],
    method: str = "POST",
) -> None:
    """One keep-alive connection sending requests back to back until the window closes;
    appends (latency ms, ok) for every request sent and answered inside the window."""
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    window_start, window_end = window
    conn = http.client.HTTPConnection(host, port, timeout=30)
    i = 0
    while True:
        sent = time.perf_counter()
        if sent >= window_end:
            break
        body = bodies[(n * 7919 + i) % len(bodies)]
        key = {"Idempotency-Key": f"bench-{run}-{n}-{i}"}
        try:
            conn.request(method, path, body if method == "POST" else None, headers | key)
            reply = conn.getresponse()
            reply.read()
            ok = 200 <= reply.status < 300
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        done = time.perf_counter()
        i += 1
        if window_start <= sent and done <= window_end:
            out.append(((done - sent) * 1000, ok))
    conn.close()


def drive(
    label: str,
    url: str,
    headers: dict[str, str],
    bodies: list[dict],
    seconds: float,
    pid: int,
    method: str = "POST",
) -> Result:
    """CONCURRENCY threads, each with its own keep-alive connection (stdlib http.client: it
    costs the client far less CPU per request than httpx, which on a 2-core machine would
    otherwise be the bottleneck instead of the server)."""
    parts = urlsplit(url)
    base_url, path = f"{parts.scheme}://{parts.netloc}", parts.path
    headers = {"Content-Type": "application/json"} | headers
    payloads = [json.dumps(b).encode() for b in bodies]
    run = uuid.uuid4().hex[:8]
    window_start = time.perf_counter() + WARMUP_SECONDS
    window = (window_start, window_start + seconds)
    outs: list[list[tuple[float, bool]]] = [[] for _ in range(CONCURRENCY)]
    threads = [
        threading.Thread(
            target=_worker,
            args=(n, base_url, path, headers, payloads, run, window, outs[n], method),
        )
        for n in range(CONCURRENCY)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, window[0] - time.perf_counter()))
    server0, client0 = tree_cpu_seconds(pid), time.process_time()
    time.sleep(max(0.0, window[1] - time.perf_counter()))
    server1, client1 = tree_cpu_seconds(pid), time.process_time()
    for thread in threads:
        thread.join()
    samples = [sample for out in outs for sample in out]
    return Result(
        label=label,
        completed=sum(1 for _, ok in samples if ok),
        errors=sum(1 for _, ok in samples if not ok),
        seconds=seconds,
        latencies_ms=[ms for ms, _ in samples],
        server_cpu_s=None if server0 is None or server1 is None else server1 - server0,
        client_cpu_s=client1 - client0,
    )


# --------------------------------------------------------------------------- the two servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def join_members(base_url: str, staff_token: str, count: int) -> list[str]:
    """Members joined at the till, as a shop would; returns their member numbers."""
    auth = {"Authorization": f"Bearer {staff_token}"}
    numbers = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for i in range(count):
            reply = client.post(
                "/v1/checkout/join",
                json={"email": f"bench-{i}@harbor.test", "name": f"Bench Member {i}"},
                headers=auth | {"Idempotency-Key": f"bench-join-{i:06d}"},
            )
            if reply.status_code != 201:
                raise RuntimeError(f"join {i}: {reply.status_code} {reply.text}")
            numbers.append(reply.json()["member_number"])
    return numbers


def _log_name(label: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in label).strip("-") + ".log"


def run_loyalty(
    label: str,
    database_url: str,
    workdir: Path,
    seconds: float,
    workers: int = 1,
    *,
    regulars: bool = False,
) -> Result:
    """Credits to MEMBERS members just joined; with ``regulars``, to REGULARS members who
    first get REGULAR_SECONDS of credits (unmeasured) so that the measured ones are their
    tenth to fortieth or so: past the first purchase, the referral and the weekly badge,
    as most of a chain's tills are."""
    staff = add_staff(database_url, "Bench till")  # migrates the fresh database first
    extra = ["--workers", str(workers)] if workers > 1 else []
    # The shipped demo programme, offers and all: the credit path as a shop runs it.
    with ServerProcess(
        database_url,
        programme=DEMO_PROGRAMME,
        log_path=workdir / _log_name(label),
        extra_args=extra,
    ) as server:
        numbers = join_members(server.base_url, staff, REGULARS if regulars else MEMBERS)
        bodies = [{"member_number": n, "amount": AMOUNT} for n in numbers]
        headers = {"Authorization": f"Bearer {staff}"}
        url = f"{server.base_url}/v1/checkout/credit"
        if regulars:
            drive("history", url, headers, bodies, REGULAR_SECONDS, server.process.pid)
        result = drive(
            label,
            url,
            headers,
            bodies,
            seconds,
            server.process.pid,
        )
        if "Traceback" in server.log_text():
            print(server.log_tail(40))
    return result


def run_staff_check(label: str, database_url: str, workdir: Path, seconds: float) -> Result:
    """``GET /v1/checkout/whoami``: the till's credential checked and nothing else, the part
    every till action shares. Its throughput is the ceiling of any credit on this stack."""
    staff = add_staff(database_url, "Bench whoami")
    with ServerProcess(
        database_url, programme=DEMO_PROGRAMME, log_path=workdir / _log_name(label)
    ) as server:
        url = f"{server.base_url}/v1/checkout/whoami"
        headers = {"Authorization": f"Bearer {staff}"}
        return drive(label, url, headers, [{}], seconds, server.process.pid, method="GET")


@contextlib.contextmanager
def bare_server(database_url: str, log_path: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "bare_app:app",
        "--app-dir",
        str(ROOT / "bench"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    env = dict(os.environ, BARE_DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"bare app exited: {log_path.read_text(errors='replace')}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("bare app did not start within 30 s")
            time.sleep(0.1)
        yield base_url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_bare(label: str, database_url: str, workdir: Path, seconds: float) -> Result:
    bodies = [{"member_number": f"8{i:010d}0", "amount": AMOUNT} for i in range(MEMBERS)]
    with bare_server(database_url, workdir / _log_name(label)) as (base_url, pid):
        return drive(label, f"{base_url}/credit", {}, bodies, seconds, pid)


# --------------------------------------------------------------------------- PostgreSQL


def _conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def create_database(server_url: str, prefix: str) -> str:
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def drop_database(server_url: str, database_url: str) -> None:
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(_conninfo(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def postgres_server() -> Iterator[str | None]:
    """LOYALTY_BENCH_POSTGRES_URL, else a throwaway local cluster (like dev.py), else None."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        yield url if "+psycopg" in url else url.replace("postgresql://", "postgresql+psycopg://")
        return
    initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdbs:
        yield None
        return
    bindir = Path(initdbs[-1]).parent
    tmp = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    as_user: dict = {}
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        pg = pwd.getpwnam("postgres")
        os.chown(tmp, pg.pw_uid, pg.pw_gid)
        as_user = {"user": pg.pw_uid, "group": pg.pw_gid, "extra_groups": []}
    data, port = tmp / "data", free_port()
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    try:
        subprocess.run(
            [str(bindir / "initdb"), "-D", str(data), "--auth=trust", "--username=postgres"]
            + ["--encoding=UTF8", "--locale=C.UTF-8"],
            cwd=tmp,
            env=env,
            check=True,
            **quiet,
            **as_user,
        )
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {port}\n"
                f"unix_socket_directories = '{tmp}'\n"
                # dev.py's test settings: no durability, so the disk does not dominate
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        subprocess.run(
            pg_ctl + ["-l", str(tmp / "server.log"), "-w", "-t", "60", "start"],
            cwd=tmp,
            env=env,
            check=True,
            **quiet,
            **as_user,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                pg_ctl + ["-m", "fast", "-w", "stop"], cwd=tmp, env=env, **quiet, **as_user
            )
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- report


def show(result: Result) -> None:
    cpu = result.cpu_ms_per_request
    cpu_text = f"{cpu:6.2f} ms CPU/req" if cpu is not None else "   n/a CPU/req"
    print(
        f"  {result.label:<30} {result.rps:8.0f} req/s   p50 {result.percentile(50):6.1f} ms"
        f"   p99 {result.percentile(99):6.1f} ms   {cpu_text}"
        f"   ({result.completed} ok, {result.errors} errors in {result.seconds:.0f} s;"
        f" client CPU {result.client_cpu_s / result.seconds:.0%})",
        flush=True,
    )


def verdict(ours: Result, bare: Result) -> str:
    ratio = ours.rps / bare.rps if bare.rps else float("nan")
    p99 = ours.percentile(99)
    checks = [
        f"ratio {ratio:.0%} of bare (target >= {TARGET_RATIO:.0%}): "
        + ("ok" if ratio >= TARGET_RATIO else "MISSED"),
        f"p99 {p99:.1f} ms (target <= {TARGET_P99_MS:.0f} ms): "
        + ("ok" if p99 <= TARGET_P99_MS else "MISSED"),
    ]
    if ours.errors:
        checks.append(f"{ours.errors} requests failed")
    return "; ".join(checks)


def backend(
    name: str, loyalty_urls: tuple[str, str], bare_url: str, workdir: Path, seconds: float
) -> bool:
    """New members' credits (the target's figure), regulars' credits (for comparison) and
    the bare insert, each on a database of its own."""
    print(
        f"\n{name}: {CONCURRENCY} connections, {seconds:.0f} s measured"
        f" after {WARMUP_SECONDS:.0f} s warm-up"
    )
    ours = run_loyalty(f"loyalty server ({name})", loyalty_urls[0], workdir, seconds)
    show(ours)
    regular = run_loyalty(f"  regulars ({name})", loyalty_urls[1], workdir, seconds, regulars=True)
    show(regular)
    floor = run_staff_check(f"  staff check alone ({name})", loyalty_urls[0], workdir, seconds)
    show(floor)
    bare = run_bare(f"bare FastAPI insert ({name})", bare_url, workdir, seconds)
    show(bare)
    line = verdict(ours, bare)
    print(f"  => {line}", flush=True)
    print(
        f"  => the staff check alone: {floor.rps / bare.rps:.0%} of bare, the ceiling of any"
        " till action here",
        flush=True,
    )
    return "MISSED" not in line and not ours.errors


def scaling(server_url: str, workdir: Path, seconds: float, counts: list[int]) -> None:
    """Credit throughput with 1, 2, 4 ... `serve --workers` processes on PostgreSQL (each on a
    fresh database). On a machine with fewer cores than processes plus the load client, the
    figures show contention, not the ceiling: the core count is printed beside them."""
    print(f"\nPostgreSQL, serve --workers N ({os.cpu_count()} cores on this machine):")
    base = None
    for count in counts:
        url = create_database(server_url, f"bench_workers{count}")
        try:
            result = run_loyalty(f"--workers {count}", url, workdir, seconds, workers=count)
        finally:
            drop_database(server_url, url)
        base = base or result.rps
        show(result)
        print(f"    x{result.rps / base:.2f} the throughput of one process", flush=True)


# --------------------------------------------------------------------------- profile


def profile(workdir: Path, requests: int = 1000) -> None:
    """The whole credit request (ASGI app, middleware, dependencies, route, service, SQL) run
    in this thread under cProfile, then the time per layer and the top functions."""
    import cProfile
    import pstats

    import fastapi.dependencies.utils
    import fastapi.routing
    import sqlalchemy.event

    from loyalty_server.app import build_context, create_app
    from loyalty_server.settings import Settings

    async def inline(func, *args, **kwargs):  # noqa: ANN001, ANN202
        return func(*args, **kwargs)

    # Sync routes and dependencies normally run in the thread pool; inline, cProfile sees them.
    fastapi.routing.run_in_threadpool = inline
    fastapi.dependencies.utils.run_in_threadpool = inline

    database_url = f"sqlite:///{workdir}/profile.db"
    staff = add_staff(database_url, "Profile till")
    ctx = build_context(Settings(database_url=database_url))
    app = create_app(ctx)
    auth = {"Authorization": f"Bearer {staff}"}
    # SQL statements sent per credit (BEGIN included; COMMIT is no statement): unlike time,
    # the machine's load does not change it.
    statements = {"counting": False, "sent": 0}

    @sqlalchemy.event.listens_for(ctx.db.engine, "before_cursor_execute")
    def _count(*_args) -> None:  # noqa: ANN002
        statements["sent"] += statements["counting"]

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            numbers = []
            for i in range(50):
                reply = await client.post(
                    "/v1/checkout/join",
                    json={"email": f"p{i}@harbor.test"},
                    headers=auth | {"Idempotency-Key": f"profile-join-{i:04d}"},
                )
                numbers.append(reply.json()["member_number"])

            async def credits(start: int, count: int) -> None:
                for i in range(start, start + count):
                    reply = await client.post(
                        "/v1/checkout/credit",
                        json={"member_number": numbers[i % len(numbers)], "amount": AMOUNT},
                        headers=auth | {"Idempotency-Key": f"profile-credit-{i:06d}"},
                    )
                    assert reply.status_code == 201, reply.text

            await credits(0, 200)  # warm-up: imports, caches, the first pages of the tables
            statements["counting"] = True
            profiler.enable()
            started = time.perf_counter()
            await credits(200, requests)
            elapsed = time.perf_counter() - started
            profiler.disable()
            statements["counting"] = False
            print(
                f"\nprofile: {requests} credits in-process, one thread, SQLite: "
                f"{elapsed / requests * 1000:.2f} ms each under cProfile, "
                f"{statements['sent'] / requests:.1f} SQL statements each"
            )

    profiler = cProfile.Profile()
    asyncio.run(run())
    ctx.db.dispose()
    stats = pstats.Stats(profiler)
    layers: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        layers[_layer(filename)] = layers.get(_layer(filename), 0.0) + tottime
    total = sum(layers.values())
    print("  own time by layer (tottime, share of the profiled total):")
    for layer, seconds in sorted(layers.items(), key=lambda kv: -kv[1]):
        print(f"    {layer:<34} {seconds / requests * 1000:6.3f} ms/req  {seconds / total:5.1%}")
    print("  top functions by cumulative time:")
    stats.sort_stats("cumulative").print_stats(r"loyalty_server|sqlalchemy/orm/session", 25)


def _layer(filename: str) -> str:
    for marker, name in (
        ("loyalty_server", "loyalty_server (routes, services)"),
        ("loyalty_app", "loyalty_app (member number, scan)"),
        ("sqlalchemy", "SQLAlchemy (ORM, Core)"),
        ("pydantic", "pydantic"),
        ("fastapi", "FastAPI"),
        ("starlette", "Starlette"),
        ("httpx", "httpx (the in-process client)"),
        ("anyio", "anyio"),
        ("asyncio", "asyncio"),
        ("json", "json"),
    ):
        if marker in filename:
            return name
    if filename == "~":
        return "C builtins (sqlite3, hashlib, ...)"
    return "other Python"


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per run")
    parser.add_argument("--profile", action="store_true", help="also profile the credit path")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--workers",
        default="1,2,4",
        help="worker-process counts to compare on PostgreSQL (default 1,2,4; '' for none)",
    )
    args = parser.parse_args()
    all_ok = True
    with tempfile.TemporaryDirectory(prefix="bench-credit-") as tmp:
        workdir = Path(tmp)
        all_ok &= backend(
            "SQLite",
            (f"sqlite:///{workdir}/loyalty.db", f"sqlite:///{workdir}/regulars.db"),
            f"sqlite:///{workdir}/bare.db",
            workdir,
            args.seconds,
        )
        if not args.no_postgres:
            with postgres_server() as server_url:
                if server_url is None:
                    print(f"\nPostgreSQL: skipped (set {POSTGRES_ENV} or install PostgreSQL)")
                else:
                    loyalty_url = create_database(server_url, "bench_loyalty")
                    regulars_url = create_database(server_url, "bench_regulars")
                    bare_url = create_database(server_url, "bench_bare")
                    try:
                        all_ok &= backend(
                            "PostgreSQL",
                            (loyalty_url, regulars_url),
                            bare_url,
                            workdir,
                            args.seconds,
                        )
                    finally:
                        for url in (loyalty_url, regulars_url, bare_url):
                            drop_database(server_url, url)
                    counts = [int(n) for n in args.workers.split(",") if n.strip()]
                    if counts:
                        scaling(server_url, workdir, args.seconds, counts)
        if args.profile or not all_ok:
            profile(workdir)
    print("\nall targets met" if all_ok else "\nsome targets missed (figures above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
