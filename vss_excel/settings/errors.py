"""The one error a settings file can give: Swedish, naming the key."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import UserError

# More problems than this in one file are summarised, so a message box stays readable.
MAX_PROBLEMS = 10


class SettingsError(UserError, ValueError):
    """A settings file that cannot be used; the message is Swedish and names the key.

    `problems` holds each problem as one sentence, without the file name. Also a ValueError, as it
    was before the UserError base, so that older callers catching ValueError still catch it.
    """

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems) or (message,)

    @classmethod
    def of(cls, source: str, problems: Sequence[str]) -> SettingsError:
        """One line per problem, each beginning with the file's name."""
        shown = [f"{source}: {p}" for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"{source}: … och {len(problems) - MAX_PROBLEMS} problem till.")
        return cls("\n".join(shown), problems)
