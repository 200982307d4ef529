"""Every route of the portal, one page group per line with its paths.

A group may also declare `SECTIONS` (menu entries; sections not built yet have no module and stay hidden).
"""

from __future__ import annotations

from types import ModuleType

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from pages import api
from pages.identity import auth, recover, register, settings
from pages.operator import imports, tariffs
from pages.operator import info as operator_info
from pages.resident import diagnostics, home, info, readings, subscriber
from pages.shell import deps
from pages.shell.security import SecurityMiddleware
from services.core.db import ping
from services.core.system import System

GROUPS: list[ModuleType] = [
    home,  # /
    subscriber,  # /subscriber, /subscriber/accounts/{id}, /subscriber/meters/{id}
    readings,  # /readings
    diagnostics,  # /diagnostics
    info,  # /info, /info/{kind}
    auth,  # /login, /auth/complete, /logout
    register,  # /register
    recover,  # /recover
    settings,  # /settings, /settings/email/confirm
    imports,  # /operator/imports
    tariffs,  # /operator/tariffs
    operator_info,  # /operator/info
    api,  # POST /api/v1/import
]


def setup(app: FastAPI, system: System) -> None:
    deps.init(system)
    app.add_middleware(SecurityMiddleware, https=system.settings.https)
    for module in GROUPS:
        for section in getattr(module, 'SECTIONS', ()):
            deps.register_section(section)
        app.include_router(module.router)
        deps.add_routes([route.path for route in module.router.routes if hasattr(route, 'path')])

    @app.get('/healthz')  # GET /healthz: 200 while the database answers
    def healthz() -> JSONResponse:
        ok = ping(system.engine)
        return JSONResponse({'status': 'ok' if ok else 'database unreachable'}, status_code=200 if ok else 503)
