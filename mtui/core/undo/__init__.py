"""One undo history for every change a user makes: tasks, the brief, goals, campaigns,
columns, sources and stand-ups, reverted from the activity log and described in words."""
