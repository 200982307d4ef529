"""Captcha challenges: a picture for people, single use and short-lived.

The database keeps only an HMAC-SHA256 of the answer, keyed with the storage secret and bound to the challenge,
so whoever reads the table (a backup, a leaked dump) cannot answer the pictures.
"""

from __future__ import annotations

import hashlib
import hmac
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


def new_challenge(*, session: Session, now: datetime, secret: str) -> Challenge:
    """A fresh challenge stored with its answer's hash; expired ones are swept on the way."""
    session.exec(delete(CaptchaChallenge).where(col(CaptchaChallenge.expires_at) < now))
    answer = ''.join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    challenge_id = secrets.token_urlsafe(24)
    digest = _digest(secret, challenge_id, answer)
    session.add(CaptchaChallenge(id=challenge_id, answer_hash=digest, expires_at=now + LIFETIME))
    return Challenge(id=challenge_id, png=_images.generate(answer).getvalue())


def solve(*, session: Session, challenge_id: str, answer: str, now: datetime, secret: str) -> bool:
    """True when `answer` solves the challenge (spaces and case do not matter); every attempt uses it up."""
    row = session.get(CaptchaChallenge, challenge_id) if challenge_id else None
    if row is None or row.used or row.expires_at <= now:
        return False
    row.used = True
    session.add(row)
    return hmac.compare_digest(_digest(secret, challenge_id, answer).encode(), row.answer_hash.encode())


def _digest(secret: str, challenge_id: str, answer: str) -> str:
    if not secret:
        raise ValueError('the captcha needs the storage secret')
    typed = ''.join(answer.split()).upper()
    return hmac.new(secret.encode(), f'captcha:{challenge_id}:{typed}'.encode(), hashlib.sha256).hexdigest()
