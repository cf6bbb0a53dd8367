"""The owner's report on a big programme: generate MEMBERS members and ENTRIES ledger entries
on PostgreSQL with COPY, then time `build_report` (the queries of `loyalty-server report`)
for the default period (the last 90 days against the 90 before).

Targets (issue 14): 100,000 members, 2,000,000 entries, the report in <= 10 s. The data is
made to look like a coffee chain's two years: purchases at five stores (a few voided),
bonuses, redemptions, expiries, tier changes, referral visits and vouchers; every tenth
member joined through a referral. Generation is seeded, so a run is repeatable.

PostgreSQL: LOYALTY_BENCH_POSTGRES_URL, else a throwaway local cluster (as bench_credit.py).

    .venv/bin/python bench/bench_report.py [--members 100000] [--entries 2000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_credit import create_database, drop_database, postgres_server  # noqa: E402
from sqlalchemy import text  # noqa: E402

from loyalty_server.db import Database  # noqa: E402
from loyalty_server.migrate import upgrade  # noqa: E402
from loyalty_server.programme import demo_programme_path, load_programme  # noqa: E402
from loyalty_server.report.build import build_report  # noqa: E402
from loyalty_server.report.period import period_for  # noqa: E402

TARGET_SECONDS = 10.0
STORES = [
    f"Harbor Coffee {name}" for name in ("Pier 7", "Market St", "Old Town", "Airport", "Campus")
]
DAYS = 730
TIERS = [("green", 0.80), ("gold", 0.17), ("reserve", 0.03)]
REWARDS = ["extra-shot", "oat-milk", "brewed-coffee", "handcrafted-drink", "pastry", "lunch-combo"]
NOW = datetime(2026, 11, 30, 20, tzinfo=UTC)
OFFERS = [offer.id for offer in load_programme(demo_programme_path()).offers]
NULL = "\\N"  # COPY text format


MEMBERS_SQL = """
INSERT INTO members (id, number, email, name, language, joined_at, tier_code, punch_stamps,
                     referral_code, referred_by_id, first_purchase_at, is_demo, version)
SELECT md5('m' || i)::uuid::text, lpad(i::text, 12, '0'), 'm' || i || '@bench.test',
       'Member ' || i, 'en', joined,
       CASE WHEN r < 0.80 THEN 'green' WHEN r < 0.97 THEN 'gold' ELSE 'reserve' END, 0,
       'R' || lpad(i::text, 11, '0'),
       CASE WHEN i > 0 AND i %% 10 = 0 THEN md5('m' || floor(random() * i)::int)::uuid::text END,
       CASE WHEN i %% 7 <> 0 THEN joined + random() * interval '30 days' END, false, 1
FROM (SELECT i, random() AS r, %(now)s - random() * interval '730 days' AS joined
      FROM generate_series(0, %(members)s - 1) AS i) AS g
"""
# Purchases 82 %, bonuses 5 % (three in five of them an offer's bonus line, naming one of the
# programme's offers as the till writes it), redemptions 8 %, expiries 5 %; 1 % of purchases
# voided; 40 % of the points earned in the last year still held.
LEDGER_SQL = """
INSERT INTO ledger_entries (member_id, created_at, amount, kind, reason, details, qualifying,
                            remaining, available_at, expires_at, purchase_amount, staff_id,
                            voided_at)
SELECT member_id, at, points, kind, CASE WHEN offer IS NULL THEN kind ELSE 'offer_bonus' END,
       CASE WHEN offer IS NULL THEN '{}' ELSE '{"offer_id": "' || offer || '"}' END,
       kind = 'purchase',
       CASE WHEN points > 0 AND at > %(now)s - interval '365 days' AND random() < 0.4
            THEN points ELSE 0 END,
       CASE WHEN points > 0 THEN at END, CASE WHEN points > 0 THEN at + interval '365 days' END,
       CASE WHEN kind = 'purchase' THEN cents / 100.0 END,
       CASE WHEN kind = 'purchase' THEN (%(staff)s::text[])[1 + floor(random() * 5)::int] END,
       CASE WHEN kind = 'purchase' AND random() < 0.01 THEN at END
FROM (
  SELECT m.id AS member_id, m.joined_at + u * (%(now)s - m.joined_at) AS at, kind, cents,
         CASE WHEN kind = 'bonus' AND random() < 0.6
              THEN (%(offers)s::text[])[1 + floor(random() * %(n_offers)s)::int] END AS offer,
         CASE kind WHEN 'purchase' THEN cents / 10
                   WHEN 'bonus' THEN (ARRAY[25, 50, 300, 500])[1 + floor(random() * 4)::int]
                   ELSE -(50 + floor(random() * 550)::int) END AS points
  FROM (SELECT floor(random() * %(members)s)::int AS mi, random() AS u,
               CASE WHEN k < 0.82 THEN 'purchase' WHEN k < 0.87 THEN 'bonus'
                    WHEN k < 0.95 THEN 'redeem' ELSE 'expire' END AS kind,
               300 + floor(random() * 2200)::int AS cents
        FROM (SELECT random() AS k FROM generate_series(1, %(entries)s)) AS s) AS g
  JOIN members AS m ON m.number = lpad(g.mi::text, 12, '0')
) AS e
"""
OTHERS_SQL = [
    """INSERT INTO tier_changes (member_id, changed_at, from_code, to_code)
       SELECT md5('m' || floor(random() * %(members)s)::int)::uuid::text,
              %(now)s - random() * interval '730 days',
              CASE WHEN random() < 0.6 THEN 'green' ELSE 'gold' END, 'x'
       FROM generate_series(1, %(members)s / 2)""",
    "UPDATE tier_changes SET to_code = CASE from_code WHEN 'green' THEN 'gold' ELSE 'green' END",
    """INSERT INTO referral_visits (referral_code, visited_at, visitor)
       SELECT 'R' || lpad(floor(random() * %(members)s)::int::text, 11, '0'),
              %(now)s - random() * interval '730 days', 'v' || i
       FROM generate_series(1, %(members)s / 5) AS i""",
    """INSERT INTO vouchers (id, code, member_id, reward_id, source, created_at, expires_at)
       SELECT md5('v' || i)::uuid::text, 'V' || lpad(i::text, 9, '0'),
              md5('m' || floor(random() * %(members)s)::int)::uuid::text,
              (%(rewards)s::text[])[1 + floor(random() * 6)::int], 'redeem', at,
              at + interval '30 days'
       FROM (SELECT i, %(now)s - random() * interval '730 days' AS at
             FROM generate_series(1, %(entries)s / 20) AS i) AS v""",
]


#: The ledger's secondary indexes (loyalty_server.models.LedgerEntry), rebuilt after loading.
LEDGER_INDEXES = [
    ("ix_ledger_member_created", "member_id, created_at, id"),
    ("ix_ledger_member_lots", "member_id, remaining"),
]


def generate(url: str, members: int, entries: int, seed: float = 0.14) -> None:
    """Fills a migrated, empty database in the database itself (INSERT … SELECT over
    generate_series: no row crosses the connection), seeded so a run is repeatable."""
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
    staff = [str(uuid.UUID(int=i + 1)) for i in range(len(STORES))]
    params = {
        "now": NOW,
        "members": members,
        "entries": entries,
        "staff": staff,
        "rewards": REWARDS,
        "offers": OFFERS,
        "n_offers": len(OFFERS),
    }
    with psycopg.connect(conninfo) as conn:
        conn.execute("SELECT setseed(%s)", (seed,))
        # A throwaway cluster's superuser loading consistent rows: foreign keys unchecked,
        # and the ledger's secondary indexes built once at the end rather than row by row
        # (that was three quarters of the time).
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '256MB'")
        for name, _ in LEDGER_INDEXES:
            conn.execute(f"DROP INDEX {name}")
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO staff (id, name, store, token_hash, created_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    (sid, f"Till {i}", store, f"{i:064d}", NOW - timedelta(days=DAYS))
                    for i, (sid, store) in enumerate(zip(staff, STORES, strict=True))
                ],
            )
        for sql in [MEMBERS_SQL, LEDGER_SQL, *OTHERS_SQL]:
            began = time.perf_counter()
            conn.execute(sql, params)
            table = re.search(r"(?:INTO|UPDATE) (\w+)", sql).group(1)
            print(f"  {table:<16} {time.perf_counter() - began:6.1f} s", flush=True)
        began = time.perf_counter()
        for name, columns in LEDGER_INDEXES:
            conn.execute(f"CREATE INDEX {name} ON ledger_entries ({columns})")
        print(f"  {'indexes':<16} {time.perf_counter() - began:6.1f} s", flush=True)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _backend_cpu(s) -> float | None:  # noqa: ANN001
    """CPU seconds the session's PostgreSQL backend has used (None: not on this machine)."""
    pid = s.execute(text("SELECT pg_backend_pid()")).scalar()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_report(url: str, runs: int) -> tuple[list[float], list[tuple[float, float | None]]]:
    """Wall seconds per full report; and per run with PostgreSQL's parallel workers off,
    the CPU seconds it took (Python, PostgreSQL's backend): what a quiet machine needs."""
    programme = load_programme(demo_programme_path())
    db = Database(url)
    period = period_for(None, None, NOW.date())
    walls, cpus = [], []
    try:
        for _ in range(runs):
            began = time.perf_counter()
            build_report(db, programme, period, NOW)
            walls.append(time.perf_counter() - began)
        with db.write() as s:  # this database is the benchmark's own
            name = s.execute(text("SELECT current_database()")).scalar()
            s.execute(text(f'ALTER DATABASE "{name}" SET max_parallel_workers_per_gather = 0'))
        db.engine.dispose()  # new connections take the setting
        for _ in range(runs):
            # One call at a time: the pool hands out its one connection, so one backend.
            with db.read() as s:
                backend = _backend_cpu(s)
            python = time.process_time()
            build_report(db, programme, period, NOW)
            python = time.process_time() - python
            with db.read() as s:
                after = _backend_cpu(s)
            cpus.append((python, None if backend is None or after is None else after - backend))
    finally:
        db.dispose()
    return walls, cpus


def show(walls: list[float], cpus: list[tuple[float, float | None]], runs: int) -> None:
    median = statistics.median(walls)
    verdict = "met" if median <= TARGET_SECONDS else "MISSED"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"report (last 90 days vs the 90 before), {runs} runs: median {median:.2f} s "
        f"wall (min {min(walls):.2f}, max {max(walls):.2f}); load average {load} on "
        f"{os.cpu_count()} cores; target <= {TARGET_SECONDS:.0f} s: {verdict}"
    )
    for python, backend in cpus:
        pg = "?" if backend is None else f"{backend:.2f}"
        total = "?" if backend is None else f"{python + backend:.2f}"
        print(
            f"  CPU, parallel workers off: {total} s = PostgreSQL {pg} s + Python "
            f"{python:.2f} s (what a quiet machine needs)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--database-url", help="time the report on this already generated database only"
    )
    args = parser.parse_args()
    if args.database_url:
        show(*time_report(args.database_url, args.runs), args.runs)
        return 0
    with postgres_server() as server_url:
        if server_url is None:
            print("PostgreSQL is not installed: nothing to measure")
            return 1
        url = create_database(server_url, "bench_report")
        try:
            db = Database(url)
            upgrade(db)
            db.dispose()
            began = time.perf_counter()
            generate(url, args.members, args.entries)
            made = time.perf_counter() - began
            print(
                f"generated {args.members:,} members and {args.entries:,} ledger entries "
                f"in {made:.1f} s ({args.entries / made:,.0f} entries/s)"
            )
            show(*time_report(url, args.runs), args.runs)
        finally:
            drop_database(server_url, url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
