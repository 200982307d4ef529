"""Email that is never lost: written to the outbox with its cause, sent by a job, retried with back-off."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import aiosmtplib
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from models import EmailOutbox
from services.core.settings import Settings
from services.mail.templates import SIGNATURE, SIGNATURE_EN, TEMPLATES, TEMPLATES_EN

log = logging.getLogger(__name__)
BATCH = 50
MAX_BACKOFF = timedelta(hours=1)
SMTP_TIMEOUT = 20


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int
    failed: int


def queue_email(
    *,
    session: Session,
    to: str,
    template: str,
    context: dict[str, str],
    utility: str,
    now: datetime,
    language: str = 'ru',
) -> EmailOutbox:
    """Write the email into the outbox in the caller's transaction: it exists exactly when its cause does.

    `language` is the recipient's (English for a resident who chose it, else Russian)."""
    subject, text, body_html = render(template, {**context, 'utility': utility}, language=language)
    row = EmailOutbox(
        to_addr=to, subject=subject, body_text=text, body_html=body_html, created_at=now, next_attempt_at=now
    )
    session.add(row)
    return row


def queue_letter(
    *,
    session: Session,
    to: str,
    subject: str,
    paragraphs: list[str],
    links: dict[str, str],
    utility: str,
    language: str,
    now: datetime,
) -> EmailOutbox:
    """An outbox row of already translated paragraphs (support, alerts), signed by the caller, in the same page
    as the templates: each `{name}` of `links` is its address in the text and an anchor in the HTML."""
    text = '\n\n'.join(paragraphs)
    inner = ''.join('<p>' + html.escape(p).replace('\n', '<br>') + '</p>' for p in paragraphs)
    for name, url in links.items():
        text = text.replace('{' + name + '}', url)
        inner = inner.replace('{' + name + '}', f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
    row = EmailOutbox(
        to_addr=to, subject=f'{subject} — {utility}', body_text=text, body_html=_page(inner, utility, language),
        created_at=now, next_attempt_at=now,
    )  # fmt: skip
    session.add(row)
    return row


def render(template: str, context: dict[str, str], *, language: str = 'ru') -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a template; values are escaped in the HTML, links become anchors."""
    english = language == 'en'
    subject, body = (TEMPLATES_EN if english else TEMPLATES)[template]
    body = f'{body}\n\n{SIGNATURE_EN if english else SIGNATURE}'
    text = body.format(**context)
    escaped = {k: _html_value(k, v) for k, v in context.items()}
    paragraphs = html.escape(body, quote=False).split('\n\n')
    inner = ''.join(f'<p>{p.replace(chr(10), "<br>")}</p>' for p in paragraphs).format(**escaped)
    full_subject = f'{subject} — {context["utility"]}' if context.get('utility') else subject
    return full_subject, text, _page(inner, context.get('utility', ''), 'en' if english else 'ru')


def _page(inner: str, utility: str, language: str) -> str:
    """The HTML letter: the utility's name in a blue band above the paragraphs."""
    return (
        f'<!doctype html><html lang="{language}">'
        '<body style="font-family:Arial,sans-serif;font-size:15px;color:#222">'
        f'<div style="background:#0b5cad;color:#fff;padding:12px 16px;font-weight:bold">{html.escape(utility)}</div>'
        f'<div style="padding:8px 16px">{inner}</div></body></html>'
    )


async def send_due(engine: Engine, settings: Settings, now: datetime) -> SendReport:
    """Send every email whose time has come; each success is committed at once so it never goes out twice."""
    sent = failed = 0
    with Session(engine, expire_on_commit=False) as session:
        due = session.exec(
            select(EmailOutbox)
            .where(col(EmailOutbox.sent_at).is_(None), col(EmailOutbox.next_attempt_at) <= now)
            .order_by(col(EmailOutbox.id))
            .limit(BATCH)
        ).all()
        for row in due:
            try:
                await _send(row, settings)
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
                row.attempts += 1
                row.next_attempt_at = now + backoff(row.attempts)
                row.last_error = f'{type(error).__name__}: {error}'[:500]
                failed += 1
            else:
                row.attempts += 1
                row.sent_at = now
                row.last_error = ''
                sent += 1
            session.add(row)
            session.commit()
            if failed and not sent:
                break  # the server is down: the rest waits for the next run instead of timing out one by one
    return SendReport(sent=sent, failed=failed)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def build_message(row: EmailOutbox, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message['From'] = formataddr((settings.utility_name, settings.mail_from))
    message['To'] = row.to_addr
    message['Subject'] = row.subject
    message['Message-ID'] = make_msgid(idstring=f'outbox-{row.id}', domain=settings.mail_from.split('@')[-1])
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype='html')
    return message


async def _send(row: EmailOutbox, settings: Settings) -> None:
    await aiosmtplib.send(
        build_message(row, settings),
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_user or None,
        password=settings.smtp_password or None,
        start_tls=bool(settings.smtp_starttls),
        timeout=SMTP_TIMEOUT,
    )


def _html_value(key: str, value: str) -> str:
    escaped = html.escape(value)
    return f'<a href="{escaped}">{escaped}</a>' if key.endswith('_url') and value.startswith('http') else escaped


def backlog(engine: Engine) -> int:
    """How many emails wait to be sent (due now or later, after a failed attempt)."""
    with Session(engine) as session:
        return int(
            session.exec(select(func.count()).select_from(EmailOutbox).where(col(EmailOutbox.sent_at).is_(None))).one()
        )
