"""The campaign status screen."""
