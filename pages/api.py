"""The import API (O2): `POST /api/v1/import` with `Authorization: Bearer <KABINET_API_TOKEN>`.

The body is either multipart/form-data with one or more files, or the raw file with `?filename=NAME`;
`?meter=SERIAL` names the meter of a Green Button feed. The size limit (KABINET_UPLOAD_MAX_MB) is enforced
while the body streams in, so an oversized request is cut off at the limit, not after it was read whole.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from pages.shell.context import PortalStopping, Site, off_loop
from services.core.system import System
from services.ingest import FileReport, import_files

MIB = 1024 * 1024
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the files
MAX_FILES = 50


class _TooLarge(Exception):
    pass


def register(site: Site) -> None:
    @site.router.post('/api/v1/import')  # POST /api/v1/import: files with a bearer API token
    async def import_api(request: Request) -> JSONResponse:
        return await _import(site.system, request)

    site.add_route('/api/v1/import')


async def _import(system: System, request: Request) -> JSONResponse:
    settings = system.settings
    if not settings.api_token:
        return JSONResponse({'detail': 'the import API is off (KABINET_API_TOKEN is not set)'}, status_code=404)
    if not authorised(request.headers.get('authorization', ''), settings.api_token):
        return JSONResponse(
            {'detail': 'a valid bearer token is required'}, status_code=401, headers={'WWW-Authenticate': 'Bearer'}
        )
    limit = settings.upload_max_mb * MIB
    too_large = JSONResponse({'detail': f'larger than {settings.upload_max_mb} MB'}, status_code=413)
    declared = request.headers.get('content-length', '')
    if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
        return too_large
    try:
        files = await _read_files(request, limit)
    except _TooLarge:
        return too_large
    if not files:
        return JSONResponse({'detail': 'no file in the request'}, status_code=400)
    meter = request.query_params.get('meter') or None
    try:
        reports = await off_loop(
            lambda: import_files(system=system, files=files, source='api', meter=meter, now=system.now())
        )
    except PortalStopping:
        return JSONResponse({'detail': 'shutting down'}, status_code=503)
    body = {'files': [report_json(r) for r in reports]}
    return JSONResponse(body, status_code=200 if all(r.ok for r in reports) else 422)


def authorised(header: str, token: str) -> bool:
    """A constant-time comparison of the bearer token, so that timing tells nothing about the token."""
    scheme, _, given = header.partition(' ')
    return scheme.lower() == 'bearer' and hmac.compare_digest(given.strip().encode(), token.encode())


def report_json(report: FileReport) -> dict[str, Any]:
    return {
        'file': report.file,
        'status': report.status,
        'format': report.format,
        'rows': report.rows,
        'message': report.message(),
        'warnings': list(report.warnings),
    }


async def _read_files(request: Request, limit: int) -> list[tuple[str, bytes]]:
    counted = Request(request.scope, _counting(request.receive, limit + MULTIPART_OVERHEAD))
    if request.headers.get('content-type', '').startswith('multipart/form-data'):
        files = []
        async with counted.form(max_files=MAX_FILES, max_fields=MAX_FILES) as form:
            for _field, value in form.multi_items():
                if isinstance(value, UploadFile):
                    data = await value.read()
                    if len(data) > limit:
                        raise _TooLarge
                    files.append((safe_name(value.filename), data))
        return files
    data = b''.join([chunk async for chunk in counted.stream()])
    if len(data) > limit:
        raise _TooLarge
    return [(safe_name(request.query_params.get('filename')), data)] if data else []


def _counting(receive: Callable[[], Awaitable[Any]], limit: int) -> Callable[[], Awaitable[Any]]:
    seen = 0

    async def wrapped() -> Any:
        nonlocal seen
        message = await receive()
        if message.get('type') == 'http.request':
            seen += len(message.get('body', b''))
            if seen > limit:
                raise _TooLarge
        return message

    return wrapped


def safe_name(name: str | None) -> str:
    """The file's name for reports only (it never becomes a path): no folders, at most 200 characters."""
    base = PureWindowsPath(PurePosixPath(name or '').name).name.strip()
    return (base or 'upload')[:200]
