"""The kanban board: a virtualised Line-API view over an in-memory model."""

from mtui.ui.board.view import BoardView

__all__ = ["BoardView"]
