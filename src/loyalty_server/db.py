"""Engine and sessions. SQLite runs in WAL mode with write transactions that begin IMMEDIATE,
so concurrent writers queue on the busy timeout instead of failing on a lock upgrade;
PostgreSQL serialises per member with SELECT ... FOR UPDATE."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

#: A pooled PostgreSQL connection that has sat unused this long is pinged before it is handed
#: out (a restart or an idle timeout may have closed it); one used more recently is not.
PING_AFTER_IDLE_SECONDS = 5.0


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # noqa: ANN001
            immediate = conn.get_execution_options().get("sqlite_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's `pool_pre_ping`, for idle connections only. Pinging every checkout cost
    a round trip per checkout, two per till request (the staff lookup, the write), while a
    connection handed back a moment ago is as alive as a ping would show. A connection found
    dead is replaced (the pool tries again); one that dies in use fails its request like any
    statement would, and the pool then drops every connection older than the failure."""

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn, record) -> None:  # noqa: ANN001
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, _proxy) -> None:  # noqa: ANN001
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # new, or handed back a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as error:  # noqa: BLE001 - any failure means: use another
            raise exc.DisconnectionError(f"pooled connection is gone: {error}") from error


class Database:
    """Holds the engine and hands out read or write sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = url.startswith("sqlite")
        self._write_lock = threading.Lock() if self.is_sqlite else nullcontext()
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._write = sessionmaker(
            self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def read_core(self) -> Iterator[Connection]:
        """A bare connection for one SQLAlchemy Core read where an ORM session would cost
        more than the query (the staff lookup of every till request). On PostgreSQL it runs
        in autocommit: a single statement is its own transaction, and BEGIN and COMMIT would
        be two more round trips to the server."""
        if self.is_sqlite:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        else:
            with self._autocommit.connect() as conn:
                yield conn

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commits on success, rolls back on any exception.
        On SQLite, writers in this process queue on a lock first: SQLite admits one writer
        at a time anyway, and its busy-timeout back-off (sleeps of up to 100 ms) would
        otherwise set the tail latency. Other processes still queue on the busy timeout."""
        with self._write_lock, self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
