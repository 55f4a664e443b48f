"""What a write touched, as its change-feed entry names it (``mtui.core.store.feed``).

Apart from the feed's records so that writing (a quick-add) does not build them."""

from __future__ import annotations

# What a write touched. A reader reloads only what its entries name.
TASKS = "tasks"  # task rows (``task_ids`` lists which, or None when too many to list)
NAMES = "names"  # columns and channels: how tasks are shown
STRATEGY = "strategy"  # brief, goals, campaigns
METRICS = "metrics"  # metric sources, fetch results
STANDUPS = "standups"
SETTINGS = "settings"

# Above this many tasks in one transaction (imports), the entry says "many" (None).
MAX_LISTED_TASKS = 500
