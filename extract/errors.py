"""Errors a reader raises for a file it cannot read. The pipeline turns them into a
failed record with the message; they never escape a batch."""


class ReadError(Exception):
    """The file cannot be read as a report source; ``str(err)`` is shown to the user
    and should say what is wrong in plain words ("encrypted: a password is needed")."""
