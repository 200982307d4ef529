"""Files residents send with a request: JPEG, PNG or PDF by their content, a few of a few MB, stored privately.

The bytes go to KABINET_ATTACHMENTS_DIR under a random name (never the uploaded name), outside any folder the
web server publishes; `open_attachment` hands them only to the request's resident and to staff.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlmodel import Session, col, select

from models import SupportAttachment, SupportMessage, SupportRequest, User
from services.core.db import when_done
from services.core.errors import DomainError, NotFound

MAX_FILES = 3  # per message
MAX_BYTES = 5 * 1024 * 1024  # per file
SIGNATURES = (
    (b'\xff\xd8\xff', 'image/jpeg', '.jpg'),
    (b'\x89PNG\r\n\x1a\n', 'image/png', '.png'),
    (b'%PDF-', 'application/pdf', '.pdf'),
)


class AttachmentRefused(DomainError):
    """A file that is not a photo or a PDF, too large, or one too many; str(e) is a message id."""

    def __init__(self, message: str, file_name: str = '') -> None:
        super().__init__(message)
        self.file_name = file_name


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name (shown only) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class AttachmentView:
    id: int
    file_name: str
    content_type: str
    size: int

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith('image/')


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's first bytes, or None for anything but JPEG, PNG and PDF."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    return None


def check_uploads(uploads: list[Upload]) -> None:
    """Refuse the batch before anything is stored: too many files, a file too large, empty or of another type."""
    if len(uploads) > MAX_FILES:
        raise AttachmentRefused('Attach at most 3 files.')
    for upload in uploads:
        if len(upload.data) > MAX_BYTES:
            raise AttachmentRefused('«{name}» is larger than 5 MB.', upload.name)
        if sniff(upload.data) is None:
            raise AttachmentRefused('«{name}» is not a JPEG or PNG photo or a PDF document.', upload.name)


def store(
    *, session: Session, directory: Path, message: SupportMessage, uploads: list[Upload], now: datetime
) -> list[SupportAttachment]:
    """Write the (checked) files under `directory` and add their rows to the message, in the caller's transaction."""
    check_uploads(uploads)
    directory.mkdir(parents=True, exist_ok=True)
    rows = []
    for upload in uploads:
        content_type, extension = sniff(upload.data) or ('', '')
        stored_name = secrets.token_hex(16) + extension
        path = directory / stored_name
        when_done(session, abandoned=partial(path.unlink, missing_ok=True))
        path.write_bytes(upload.data)
        row = SupportAttachment(
            request_id=message.request_id, message_id=message.id, file_name=display_name(upload.name, extension),
            content_type=content_type, size=len(upload.data), stored_name=stored_name, created_at=now,
        )  # fmt: skip
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def open_attachment(
    *, session: Session, user: User, attachment_id: int, directory: Path
) -> tuple[Path, AttachmentView]:
    """The stored file and its description for the request's resident or staff; NotFound for anyone else."""
    row = session.get(SupportAttachment, attachment_id)
    request = session.get(SupportRequest, row.request_id) if row is not None else None
    if row is None or request is None or not _may_see(user, request):
        raise NotFound('Not found')
    path = directory / row.stored_name
    if not path.is_file():
        raise NotFound('Not found')
    return path, view(row)


def of_messages(session: Session, message_ids: list[int]) -> dict[int, list[AttachmentView]]:
    """The attachments of each message, in the order they were sent."""
    found: dict[int, list[AttachmentView]] = {}
    if not message_ids:
        return found
    rows = session.exec(
        select(SupportAttachment)
        .where(col(SupportAttachment.message_id).in_(message_ids))
        .order_by(col(SupportAttachment.id))
    ).all()
    for row in rows:
        found.setdefault(row.message_id or 0, []).append(view(row))
    return found


def view(row: SupportAttachment) -> AttachmentView:
    return AttachmentView(id=row.id or 0, file_name=row.file_name, content_type=row.content_type, size=row.size)


def display_name(name: str, extension: str) -> str:
    """The uploaded name without folders or odd characters, ending in the extension its content has."""
    base = re.split(r'[\\/]', name)[-1]
    stem = re.sub(r'[^\w.\- ]+', '_', base.rsplit('.', 1)[0]).strip(' ._') or 'file'
    return stem[: 120 - len(extension)] + extension


def _may_see(user: User, request: SupportRequest) -> bool:
    if user.blocked:
        return False
    return user.is_staff or request.user_id == user.id
