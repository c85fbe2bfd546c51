"""Errors that the command line reports in one line (exit code 1), never as a traceback."""


class UserError(Exception):
    """A problem the user can fix: bad path, unknown column, unreadable or refused file."""


class FormatError(UserError):
    """A file whose header or content does not match any known export format."""


class DownloadError(UserError):
    """A download that failed or returned something that is not the expected data."""


class ExpressionError(UserError):
    """An ``--of``/``--among`` expression that is not a safe boolean expression over known columns."""
