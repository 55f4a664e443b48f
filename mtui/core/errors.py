"""Errors the core raises for the CLI and the TUI to show as one clear line."""

from __future__ import annotations


class MtuiError(Exception):
    """Base class: the message is meant for the user, never a traceback."""


class DatabaseRefused(MtuiError):
    """The file is not one mtui may open; it has been left untouched."""


class NotFound(MtuiError):
    pass


class ConflictError(MtuiError):
    """Another process changed the record since it was read; nothing was written."""


class ValidationError(MtuiError):
    """Bad input from the user; nothing was written."""
