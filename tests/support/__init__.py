"""Helpers for the tests: real server processes, fresh databases, a mail catcher, HTTP calls
as a member or at the till, and the browser harness.

Imported as a package from the repository root: ``from tests.support.servers import ...``.
"""
