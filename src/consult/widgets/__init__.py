"""Reusable widgets: option rows, level pickers, profile bars."""
