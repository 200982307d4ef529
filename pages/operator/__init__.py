"""The utility's pages: imports, tariffs and information pages."""
