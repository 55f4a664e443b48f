"""Strategy screens: the brief section editor, goal and campaign forms, brief history."""
