"""Import and export: tasks and the whole board as portable records."""
