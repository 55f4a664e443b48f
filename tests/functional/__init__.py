"""The TUI driven with Pilot, and snapshots at 80x24 and 160x45."""
