"""The main page (SPEC S5): `/`, tiles with the key information of each section."""

from __future__ import annotations

from fastapi import Request
from nicegui import APIRouter, ui

from pages import deps
from pages.deps import Section
from pages.layout import page
from services.i18n import _

router = APIRouter()
SECTIONS = [Section('/', 'Home', 'home', 0)]


@router.page('/')
def home(request: Request) -> None:
    user = deps.user_from_request(request)
    if user is None:  # the middleware redirects; this guards in-app navigation too
        ui.navigate.to('/login')
        return
    with page(_('Main page'), user, active='/'):
        ui.label(_('Welcome, {name}!').format(name=user.full_name or user.email)).classes('text-body1').mark('welcome')
