"""Form fields whose error and hint texts may wrap on a phone without covering the next field."""

from __future__ import annotations

from nicegui import ui

# Quasar positions the bottom line absolutely, one line high; long Russian messages wrap onto the next field.
FORM_CSS = """
.k-form .q-field--with-bottom { padding-bottom: 0; }
.k-form .q-field__bottom { position: static; transform: none; padding-top: 4px; min-height: 20px; }
"""


def form_style() -> str:
    """Add the CSS once per page and return the class to put on the form's container."""
    ui.add_css(FORM_CSS)
    return 'k-form'
