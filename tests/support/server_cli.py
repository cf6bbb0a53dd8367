"""`loyalty-server` run in this process (the real `cli.main`, its output captured): the
owner's and admin commands are called dozens of times a test module, and a process start
costs seconds on a loaded machine. `servers.run_cli` runs it as a separate process."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

from loyalty_server.cli import main


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def server_cli(*args: str, database_url: str) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([*args, "--database-url", database_url])
        except SystemExit as exc:  # argparse refusing the command line
            code = exc.code if isinstance(exc.code, int) else 1
    return Ran(code, out.getvalue(), err.getvalue())
