"""The project's one error type for problems a user can fix.

A :class:`UserError` carries a catalogue key and its arguments instead of a
message, so the page shows it in the current language and the recipe runner
prints it as one line.  Anything else that escapes an analysis is a bug.
"""
from __future__ import annotations

from core.i18n import t


class UserError(Exception):
    """A problem with the user's data, choices or recipe.

    ``key`` names a string in :mod:`core.i18n` (the message says what is
    wrong *and* what to do); ``kwargs`` fill its placeholders.
    """

    def __init__(self, key: str, **kwargs):
        self.key = key
        self.kwargs = kwargs
        super().__init__(key)

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.kwargs)

    def __str__(self) -> str:  # English, for logs and the CLI
        return self.message("en")
