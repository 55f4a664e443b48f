"""Core behaviour without Textual or subprocesses (real files and a real local HTTP server)."""
