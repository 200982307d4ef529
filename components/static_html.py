"""Static parts of a page as one HTML element each, with Quasar's own classes, so they look as the components did.

A NiceGUI element costs the server about 5 KB for as long as the tab is open (its props, classes and style are
observable collections); a tile or a menu of a dozen labels, rows and icons that never change on their own is
cheaper as one element holding their HTML. Every text put into it goes through `text()` or `attr()`: names,
subjects and notices are user and operator data. No scripts and no event attributes go into this HTML (the CSP).
"""

from __future__ import annotations

import html

from nicegui import ui

# Quasar draws a card dark by its own class; a card written as HTML takes the same look from the page's theme
# (part of the frame's style).
CARD_CSS = """
.body--dark .k-card { color: #fff; background: var(--q-dark);
  box-shadow: 0 1px 5px rgba(255, 255, 255, 0.2), 0 2px 2px rgba(255, 255, 255, 0.14),
    0 3px 1px -2px rgba(255, 255, 255, 0.12); }
"""


def text(value: object) -> str:
    """`value` as the text of an HTML element: <, > and & escaped (quotes may stay in text)."""
    return html.escape(str(value), quote=False)


def attr(value: object) -> str:
    """`value` for an attribute in double quotes."""
    return html.escape(str(value), quote=True)


def div(content: str, classes: str = '', *, mark: str = '', style: str = '') -> str:
    """A `<div>` of already escaped `content`; `mark` names it for tests and tools (`data-mark`)."""
    extra = (f' data-mark="{attr(mark)}"' if mark else '') + (f' style="{attr(style)}"' if style else '')
    return f'<div class="{attr(classes)}"{extra}>{content}</div>' if classes else f'<div{extra}>{content}</div>'


def line(value: object, classes: str = '', *, mark: str = '', style: str = '') -> str:
    """A label: one line of text, as `ui.label` draws it."""
    return div(text(value), classes, mark=mark, style=style)


def row(content: str, classes: str = '') -> str:
    return div(content, f'nicegui-row row {classes}'.strip())


def column(content: str, classes: str = '', *, mark: str = '') -> str:
    return div(content, f'nicegui-column {classes}'.strip(), mark=mark)


def icon(name: str, *, size: str = '', classes: str = '', colour: str = '') -> str:
    """A Material icon as `ui.icon` draws it (decorative: hidden from screen readers)."""
    colour_class = f' text-{colour}' if colour else ''
    style = f' style="font-size: {attr(size)};"' if size else ''
    extra = f' {attr(classes)}' if classes else ''
    return (
        f'<i class="q-icon notranslate material-icons{colour_class}{extra}" aria-hidden="true" role="img"{style}>'
        f'{text(name)}</i>'
    )


def badge(value: object, colour: str, *, outline: bool = False, floating: bool = False, mark: str = '') -> str:
    """A badge as Quasar's QBadge draws it."""
    look = f' q-badge--outline text-{colour}' if outline else f' bg-{colour}'
    classes = f'q-badge flex inline items-center no-wrap q-badge--single-line{look}'
    classes += ' q-badge--floating' if floating else ''
    extra = f' data-mark="{attr(mark)}"' if mark else ''
    return f'<div class="{classes}" role="status"{extra}>{text(value)}</div>'


def element(content: str, *, tag: str = 'div') -> ui.html:
    """One element holding `content`, HTML built here from escaped text (so not sanitised again)."""
    return ui.html(content, sanitize=False, tag=tag)
