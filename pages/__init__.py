"""Every route of the portal: each module of this package with a `router` is a section or a group of routes.

A module may also declare `SECTIONS` (menu entries; sections not built yet have no module and stay hidden).
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from pages import deps
from pages.security import SecurityMiddleware
from services.db import ping
from services.system import System

INFRASTRUCTURE = {'deps', 'layout', 'security'}


def setup(app: FastAPI, system: System) -> None:
    deps.init(system)
    app.add_middleware(SecurityMiddleware, https=system.settings.https)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in INFRASTRUCTURE:
            continue
        module = importlib.import_module(f'{__name__}.{info.name}')
        for section in getattr(module, 'SECTIONS', ()):
            deps.register_section(section)
        if hasattr(module, 'router'):
            app.include_router(module.router)  # the module's docstring lists its routes
            deps.add_routes([route.path for route in module.router.routes if hasattr(route, 'path')])

    @app.get('/healthz')  # GET /healthz: 200 while the database answers
    def healthz() -> JSONResponse:
        ok = ping(system.engine)
        return JSONResponse({'status': 'ok' if ok else 'database unreachable'}, status_code=200 if ok else 503)
