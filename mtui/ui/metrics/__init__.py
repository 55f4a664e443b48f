"""Metrics widgets: card formatting and the detail screen."""
