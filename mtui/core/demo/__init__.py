"""The demo: a realistic plan for Acme Analytics and a local, clearly fake metrics endpoint."""
