"""Errors the core raises for the CLI and the TUI to show as one clear line.

The store's errors are backend-neutral: a backend translates its driver's exceptions
into these, so nothing above the store knows which database it talks to.
"""

from __future__ import annotations


class MtuiError(Exception):
    """Base class: the message is meant for the user, never a traceback."""


class DatabaseRefused(MtuiError):
    """The database is not one mtui may open; it has been left untouched."""


class NotFound(MtuiError):
    pass


class ValidationError(MtuiError):
    """Bad input from the user; nothing was written."""


class StoreError(MtuiError):
    """The store could not do what was asked; nothing was written."""


class ConflictError(StoreError):
    """Another client changed the record since it was read; nothing was written."""


class DuplicateError(StoreError, ValidationError):
    """A name or slug that must be unique is taken; nothing was written."""


class ReadOnlyError(StoreError):
    """The database cannot be written (a read-only file, place or role)."""


class UnavailableError(StoreError):
    """The database cannot be reached or is busy (locked, disk full, server down)."""


class CorruptError(StoreError):
    """The database is damaged; nothing was written. ``mtui db check`` says more."""
