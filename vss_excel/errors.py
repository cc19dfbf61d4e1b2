"""The one base class for errors a user can act on; their messages are Swedish."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix (a setting, an argument, a file in the way).

    The CLI prints the message as it is and exits with `exit_code`; the Excel buttons show it in a
    message box. Anything else that goes wrong is unexpected and gets a log file (see cli).
    """

    exit_code = 2
