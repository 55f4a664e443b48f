"""Layers, import budgets and packaging."""
