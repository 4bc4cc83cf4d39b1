"""The exceptions that mean "the input cannot be used", as opposed to a bug in gantheory.

:class:`UsageError` is raised where the user's input is validated: a command-line argument, a
file or folder it names, a checkpoint it points at. The command line reports it in one line
and exits with status 2; any other exception is a bug and exits with status 1 and its
traceback. It subclasses :class:`ValueError`, so code that calls the library and catches
``ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(ValueError):
    """The user's input (an argument, a file it names, a checkpoint) cannot be used."""
