"""Email alerts with the resident's own preferences (B5)."""
