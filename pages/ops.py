"""Endpoints for the machines that run the portal: liveness, health, readiness, metrics (O10, SPEC §9)."""

from __future__ import annotations

import hmac

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from nicegui import Client

from pages.shell.context import Site
from services.core.db import ping, schema_is_current
from services.core.metrics import METRICS
from services.mail.outbox import backlog


def register(app: FastAPI, site: Site) -> None:
    engine = site.system.engine
    token = site.system.settings.metrics_token

    @app.get('/livez')  # GET /livez: 200 while the process serves requests; asks nothing of the database
    def livez() -> JSONResponse:
        return JSONResponse({'status': 'ok'})

    @app.get('/healthz')  # GET /healthz: 200 while the database answers (SPEC §9)
    def healthz() -> JSONResponse:
        ok = ping(engine)
        return JSONResponse({'status': 'ok' if ok else 'database unreachable'}, status_code=200 if ok else 503)

    @app.get('/readyz')  # GET /readyz: 200 when the database answers and its schema is this version's
    def readyz() -> JSONResponse:
        if not schema_is_current(engine):
            return JSONResponse({'status': 'database unreachable or not migrated'}, status_code=503)
        return JSONResponse({'status': 'ok'})

    @app.get('/metrics')  # GET /metrics: Prometheus text, with `Authorization: Bearer KABINET_METRICS_TOKEN`
    def metrics(request: Request) -> Response:
        if not token:
            return PlainTextResponse('Not Found', status_code=404)  # off unless a token is configured
        offered = request.headers.get('authorization', '').removeprefix('Bearer ').strip()
        if not hmac.compare_digest(offered.encode(), token.encode()):
            return PlainTextResponse('Unauthorized', status_code=401, headers={'WWW-Authenticate': 'Bearer'})
        extra = {
            'kabinet_outbox_backlog': float(backlog(engine)),
            'kabinet_connected_clients': float(sum(c.has_socket_connection for c in list(Client.instances.values()))),
        }
        return PlainTextResponse(METRICS.render(extra), media_type='text/plain; version=0.0.4')

    for path in ('/livez', '/healthz', '/readyz', '/metrics'):
        site.add_route(path)
