"""Captcha challenges: a picture for people, the answer kept on the server, single use and short-lived."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from captcha.image import ImageCaptcha
from sqlmodel import Session, col, delete

from models import CaptchaChallenge

LIFETIME = timedelta(minutes=10)
LENGTH = 5
# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B) so that a person can read every picture.
ALPHABET = 'ACDEFHJKMNPRTUVWXY34679'
_images = ImageCaptcha(width=180, height=64)


@dataclass(frozen=True, slots=True)
class Challenge:
    id: str
    png: bytes  # the picture to show; the answer never leaves the server


def new_challenge(*, session: Session, now: datetime) -> Challenge:
    """A fresh challenge stored with its answer; expired ones are swept on the way."""
    session.exec(delete(CaptchaChallenge).where(col(CaptchaChallenge.expires_at) < now))
    answer = ''.join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    challenge_id = secrets.token_urlsafe(24)
    session.add(CaptchaChallenge(id=challenge_id, answer=answer, expires_at=now + LIFETIME))
    return Challenge(id=challenge_id, png=_images.generate(answer).getvalue())


def solve(*, session: Session, challenge_id: str, answer: str, now: datetime) -> bool:
    """True when `answer` solves the challenge; every attempt uses the challenge up, right or wrong."""
    row = session.get(CaptchaChallenge, challenge_id) if challenge_id else None
    if row is None or row.used or row.expires_at <= now:
        return False
    row.used = True
    session.add(row)
    typed = ''.join(answer.split()).upper()
    return secrets.compare_digest(typed.encode(), row.answer.upper().encode())
