"""Readings residents submit themselves (B7): the window, the checks, the operator's list and export."""
