"""Helpers the tests share: running the CLI, driving the TUI, metric fixtures."""
