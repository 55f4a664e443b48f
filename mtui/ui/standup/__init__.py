"""The stand-up view, its walk mode and the report widgets."""
