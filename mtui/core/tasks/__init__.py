"""little m: the board's verbs (move, edit, undo), quick-add saving, names for display."""
