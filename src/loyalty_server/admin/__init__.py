"""Programme admin from the command line, without editing the database: find and show
members, adjust points, set reward stock, check a programme file before deploying it.
Every change runs in one transaction with its audit line (`audit.record`)."""


class AdminError(Exception):
    """A refused admin command: the message says why; nothing was changed."""
