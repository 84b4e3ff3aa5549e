"""Scripted incident scenarios and their runner (issue 5)."""
