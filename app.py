"""Kabinet: the composition root and the command line (SPEC §8).

Commands other than `serve` never import the web interface, so they start fast.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import Any

from services.core import logs
from services.core.settings import Settings, SettingsError

log = logging.getLogger('kabinet')


def main(argv: list[str] | None = None) -> int:
    logs.configure()
    logging.getLogger('alembic').setLevel(logging.WARNING)
    logging.getLogger('apscheduler').setLevel(logging.WARNING)  # not a line per job run every few seconds
    if os.environ.get('NICEGUI_USER_SIMULATION'):  # the NiceGUI test fixture runs this file as __main__
        serve(Settings())
        return 0
    args = parser().parse_args(argv)
    try:
        settings = Settings()
        logs.configure(settings.log_format)
        if args.command in (None, 'serve'):
            serve(settings)
            return 0
        from cli import commands

        return int(commands.run(args, settings))
    except SettingsError as error:
        print(f'kabinet: {error}', file=sys.stderr)
        return 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog='app.py', description='Kabinet — личный кабинет абонента электроснабжения')
    sub = p.add_subparsers(dest='command', metavar='COMMAND')
    sub.add_parser('serve', help='run the portal (the default)')
    demo = sub.add_parser('demo', help='fill an empty database with the demo utility and print the demo logins')
    demo.add_argument('--accounts', type=int, default=300, help='registry size (default 300)')
    imp = sub.add_parser('import', help='import registry, meter-data or tariff files (or folders of them)')
    imp.add_argument('paths', nargs='+', metavar='PATH')
    imp.add_argument('--meter', help='meter serial for Green Button files whose UsagePoint title is not a serial')
    exp = sub.add_parser('export', help='print a consumption series as JSON or CSV')
    exp.add_argument('--meter', required=True)
    exp.add_argument('--energy', required=True, choices=['A+', 'A-', 'R+', 'R-'])
    exp.add_argument('--interval', required=True, choices=['hour', 'day', 'month', 'year'])
    exp.add_argument('--from', dest='date_from', required=True, metavar='YYYY-MM-DD')
    exp.add_argument('--to', dest='date_to', required=True, metavar='YYYY-MM-DD')
    exp.add_argument('--period', choices=['calendar', 'billing'], default='calendar')
    exp.add_argument('--format', choices=['json', 'csv'], default='json')
    reb = sub.add_parser('rebuild', help='recompute the roll-ups of a range of days (all meters, or one)')
    reb.add_argument('--from', dest='date_from', required=True, metavar='YYYY-MM-DD')
    reb.add_argument('--to', dest='date_to', required=True, metavar='YYYY-MM-DD')
    reb.add_argument('--meter', help='only this meter serial')
    rex = sub.add_parser('export-readings', help="print the residents' manual readings of a month (B7)")
    rex.add_argument('--month', required=True, metavar='YYYY-MM')
    rex.add_argument('--format', choices=['csv', 'json'], default='csv')
    adm = sub.add_parser('create-admin', help='create an admin (password asked, or KABINET_ADMIN_PASSWORD)')
    adm.add_argument('--email', required=True)
    adm.add_argument('--name', default='')
    bak = sub.add_parser('backup', help='write a consistent copy of the database while the portal runs')
    bak.add_argument('path', metavar='PATH')
    res = sub.add_parser('restore', help='restore a backup into an empty database; refuses a non-empty one')
    res.add_argument('path', metavar='PATH')
    return p


def serve(settings: Settings) -> None:
    """Run the portal: pages, health endpoint, API, scheduler."""
    from nicegui import app, core, ui

    import pages
    from jobs import scheduler as jobs_scheduler
    from pages.shell import batched_props, clients, handler_signatures
    from pages.shell.security import socket_origin_check
    from services.core.db import LoopGuard
    from services.core.leader import Leadership
    from services.core.system import build_system

    secret = settings.require_secret()
    system = build_system(settings)
    if settings.mode == 'test':  # the suite proves that pages never run SQL on the event loop
        app.on_startup(LoopGuard(system.engine).arm)
    handler_signatures.install()  # NiceGUI asks about an element's own methods once per method, not per element
    batched_props.install()  # an element's `.props('a b c')` is one change, not three
    pages.setup(app, system)  # every route: see pages/__init__.py
    clients.install(tune_collector=settings.mode != 'test')  # tabs that are gone free their memory promptly
    leadership = Leadership(system.engine)  # the jobs run in one process of all those on the database
    scheduler = jobs_scheduler.create(system, leadership)
    app.on_startup(scheduler.start)
    app.on_shutdown(lambda: scheduler.shutdown(wait=False))
    app.on_shutdown(lambda: asyncio.to_thread(leadership.release))  # a standby takes over at once
    app.on_shutdown(system.engine.dispose)  # close the pool: a restarted app (the test fixture) must not pile them up
    core.sio.eio.cors_allowed_origins = socket_origin_check(settings.base_url)  # no websocket from foreign pages
    log.info('Kabinet on http://%s:%s', settings.host, settings.port)
    ui.run(
        host=settings.host,
        port=settings.port,
        title=settings.utility_name,
        language='ru' if settings.language == 'ru' else 'en-US',
        storage_secret=secret,
        reload=False,
        show=False,
        reconnect_timeout=20,  # phones on flaky networks
        favicon='⚡',
        session_middleware_kwargs={'https_only': settings.https, 'same_site': 'lax'},
        # The client's address comes from X-Forwarded-For only when the peer is a configured proxy (uvicorn
        # would otherwise believe any local process).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
        **uvicorn_logging(settings),
    )


def uvicorn_logging(settings: Settings) -> dict[str, Any]:
    """In JSON mode uvicorn keeps its hands off logging (its lines go through our formatter) and no banner."""
    return {'log_config': None, 'show_welcome_message': False} if settings.log_format == 'json' else {}


if __name__ == '__main__':
    code = main()
    if not os.environ.get('NICEGUI_USER_SIMULATION'):
        sys.exit(code)
