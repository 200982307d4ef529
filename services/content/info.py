"""The Information section (SPEC S11, O5): help, the user agreement and news in Markdown, rendered safely."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import nh3
from markdown_it import MarkdownIt
from sqlmodel import Session, col, select

from models import InfoKind, InfoPage, User
from services.core.errors import DomainError, NotFound
from services.identity import audit
from services.identity.roles import require_staff

ALLOWED_TAGS = {
    'p', 'br', 'hr', 'h2', 'h3', 'h4', 'strong', 'em', 'ul', 'ol', 'li', 'a', 'blockquote', 'code', 'pre',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
}  # fmt: skip
_markdown = MarkdownIt('commonmark', {'html': False, 'linkify': False}).enable('table')
KIND_ORDER = {InfoKind.help: 0, InfoKind.agreement: 1, InfoKind.news: 2}


@dataclass(frozen=True, slots=True)
class PageDraft:
    kind: str
    title: str
    slug: str
    body_md: str
    published: bool = True
    title_en: str = ''
    body_md_en: str = ''


def render(markdown: str) -> str:
    """HTML of operator Markdown with everything but basic formatting and http(s)/mailto links removed."""
    return clean(_markdown.render(markdown))


def clean(html: str) -> str:
    """`html` with only the allowed tags and attributes left (the renderer's output passes unchanged)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={'a': {'href', 'title'}},
        url_schemes={'http', 'https', 'mailto'},
        link_rel='noopener noreferrer nofollow',
    )


def published(*, session: Session, kind: str) -> list[InfoPage]:
    """Published pages of one kind, newest first (news) — help and agreement normally have one page each."""
    rows = session.exec(
        select(InfoPage)
        .where(InfoPage.kind == kind, col(InfoPage.published).is_(True))
        .order_by(col(InfoPage.published_at).desc(), col(InfoPage.id).desc())
    ).all()
    return list(rows)


def all_pages(*, session: Session) -> list[InfoPage]:
    """Every page for the operators' editor: help, agreement, then news, newest first."""
    rows = session.exec(select(InfoPage).order_by(col(InfoPage.published_at).desc())).all()
    order = {str(kind): n for kind, n in KIND_ORDER.items()}
    return sorted(rows, key=lambda p: order.get(p.kind, 9))


def save(*, session: Session, editor: User, page_id: int | None, draft: PageDraft, now: datetime) -> InfoPage:
    """Create or update a page (staff only: NotAllowed otherwise); DomainError with a message id for bad input."""
    require_staff(editor)
    title = ' '.join(draft.title.split())
    if not title:
        raise DomainError('Enter a title.')
    if draft.kind not in set(InfoKind):
        raise DomainError('Choose the kind of page.')
    slug = slugify(draft.slug or title) or f'{draft.kind}-{int(now.timestamp())}'
    row = InfoPage(kind=draft.kind, slug=slug, title=title, published_at=now) if page_id is None else None
    row = row or session.get(InfoPage, page_id)
    if row is None:
        raise NotFound('Not found.')
    clash = session.exec(select(InfoPage).where(InfoPage.slug == slug, InfoPage.id != row.id)).first()
    if clash is not None:
        raise DomainError('Another page already has this address.')
    row.kind, row.slug, row.title, row.body_md, row.published = (
        draft.kind,
        slug,
        title[:200],
        draft.body_md,
        draft.published,
    )
    row.title_en, row.body_md_en = ' '.join(draft.title_en.split())[:200], draft.body_md_en
    row.updated_at, row.updated_by = now, editor.id
    session.add(row)
    session.flush()
    action = 'info_created' if page_id is None else 'info_edited'
    audit.record(session=session, action=action, user_id=editor.id, now=now, detail=f'{row.id} {slug}')
    return row


def delete(*, session: Session, editor: User, page_id: int, now: datetime) -> None:
    """Delete a page (staff only: NotAllowed otherwise) and record it in the audit log."""
    require_staff(editor)
    row = session.get(InfoPage, page_id)
    if row is None:
        raise NotFound('Not found.')
    session.delete(row)
    audit.record(session=session, action='info_deleted', user_id=editor.id, now=now, detail=f'{page_id} {row.slug}')


@dataclass(frozen=True)
class Shown:
    """A page in the reader's language: the English version when asked and written, else the Russian."""

    title: str
    body_md: str
    untranslated: bool  # English was asked for but only the Russian exists


def in_language(page: InfoPage, language: str) -> Shown:
    if language == 'en' and page.body_md_en.strip():
        return Shown(page.title_en or page.title, page.body_md_en, untranslated=False)
    return Shown(page.title, page.body_md, untranslated=language == 'en')


def slugify(text: str) -> str:
    """A URL-safe page address: Latin letters, digits and dashes (Cyrillic is transliterated)."""
    lowered = text.lower().translate(_TRANSLIT)
    return re.sub(r'[^a-z0-9]+', '-', lowered).strip('-')[:100]


_TRANSLIT = str.maketrans(
    {
        'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e', 'ё': 'e', 'ж': 'zh', 'з': 'z', 'и': 'i',
        'й': 'i', 'к': 'k', 'л': 'l', 'м': 'm', 'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r', 'с': 's', 'т': 't',
        'у': 'u', 'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch', 'ш': 'sh', 'щ': 'shch', 'ъ': '', 'ы': 'y', 'ь': '',
        'э': 'e', 'ю': 'iu', 'я': 'ia',
    }
)  # fmt: skip
