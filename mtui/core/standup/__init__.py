"""The stand-up report: what changed in a window, and its Markdown, text and JSON forms."""
