"""Rendered Markdown of the Information section with readable typography (the CSS reset strips it)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

MARKDOWN_CSS = """
.k-markdown { font-size: 1rem; line-height: 1.55; overflow-wrap: anywhere; }
.k-markdown h2 { font-size: 1.35rem; font-weight: 600; line-height: 1.3; margin: 0 0 .6em; }
.k-markdown h3 { font-size: 1.15rem; font-weight: 600; margin: 1em 0 .4em; }
.k-markdown h4 { font-size: 1rem; font-weight: 600; margin: 1em 0 .3em; }
.k-markdown p, .k-markdown blockquote { margin: 0 0 .8em; }
.k-markdown ul { list-style: disc; padding-left: 1.4em; margin: 0 0 .8em; }
.k-markdown ol { list-style: decimal; padding-left: 1.4em; margin: 0 0 .8em; }
.k-markdown li { margin: .25em 0; }
.k-markdown a { color: var(--q-primary); text-decoration: underline; }
.k-markdown blockquote { border-left: 3px solid #9e9e9e; padding-left: .8em; }
.k-markdown table { border-collapse: collapse; margin: 0 0 .8em; display: block; overflow-x: auto; }
.k-markdown th, .k-markdown td { border: 1px solid #9e9e9e; padding: .3em .6em; }
.k-markdown > :last-child { margin-bottom: 0; }
"""


def markdown_view(rendered_html: str, *, sanitize: Callable[[str], str]) -> ui.html:
    """Show HTML that a service rendered from Markdown; `sanitize` runs once more on the server as a guard."""
    ui.add_css(MARKDOWN_CSS)
    return ui.html(rendered_html, sanitize=sanitize).classes('k-markdown w-full')
