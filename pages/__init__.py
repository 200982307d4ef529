"""Every route of the portal: the composition root hands the site to each page group, one line per group.

A group registers its pages with `site.page(path, access=..., section=...)` (menu entries come with them; a
section not built yet has no group and stays hidden).
"""

from __future__ import annotations

from fastapi import FastAPI
from nicegui import ui

from components import frame, tiles
from pages import api, ops, pwa
from pages.identity import auth, recover, register, settings
from pages.operator import audit, imports, registry, staff, tariffs, users, view_as
from pages.operator import home as operator_home
from pages.operator import info as operator_info
from pages.operator import manual_readings as operator_readings
from pages.operator import notices as operator_notices
from pages.operator import support as operator_support
from pages.resident import alerts, diagnostics, home, info, readings, readings_controls, subscriber, support
from pages.shell.context import Site
from pages.shell.security import SecurityMiddleware
from services.core.system import System


def share_style() -> None:
    frame.share_style()
    ui.add_css(tiles.TILE_CSS + readings_controls.CONTROLS_CSS, shared=True)


def setup(app: FastAPI, system: System) -> Site:
    """Register every page and endpoint of the portal on `app`."""
    site = Site(app, system)
    home.register(site)  # /
    subscriber.register(site)  # /subscriber, /subscriber/accounts/{id}, /subscriber/meters/{id}
    readings.register(site)  # /readings
    diagnostics.register(site)  # /diagnostics
    support.register(site)  # /support, /support/{id}, GET /support/attachments/{id}
    info.register(site)  # /info, /info/{kind}
    auth.register(site)  # /login, /auth/complete, /logout
    register.register(site)  # /register
    recover.register(site)  # /recover
    settings.register(site)  # /settings, /settings/email/confirm
    alerts.register(site)  # /alerts/unsubscribe (public: the signed link of every alert email)
    imports.register(site)  # /operator/imports
    tariffs.register(site)  # /operator/tariffs
    operator_info.register(site)  # /operator/info
    operator_home.register(site)  # /operator
    users.register(site)  # /operator/users, /operator/users/{id}
    view_as.register(site)  # /operator/users/{id}/as, /operator/users/{id}/as/meters/{meter_id}
    registry.register(site)  # /operator/accounts
    operator_readings.register(site)  # /operator/readings
    operator_notices.register(site)  # /operator/notices
    staff.register(site)  # /operator/staff, /staff/invite
    audit.register(site)  # /operator/audit
    operator_support.register(site)  # /operator/support, /operator/support/{id}, /operator/support/topics
    api.register(site)  # POST /api/v1/import
    pwa.register(site, app)  # /manifest.webmanifest, /sw.js, /offline.html, /icons/icon-{192,512}.png
    site.install()
    share_style()  # the style of the frame, the tiles and Readings' controls: sent with every page, held once
    app.add_middleware(SecurityMiddleware, site=site)
    ops.register(app, site)  # /livez, /healthz, /readyz, /metrics
    return site
