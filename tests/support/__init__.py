"""Helpers for the tests: real server processes, fresh databases and a mail catcher.

tests/conftest.py puts tests/ on sys.path, so test modules import these as
``from support.servers import ServerProcess`` (and so on).
"""
