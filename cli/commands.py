"""The command line of SPEC §8 (everything but `serve`), without the web interface."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from services.core.settings import DATA_DIR, Settings
from services.core.system import build_system

log = logging.getLogger(__name__)
DEMO_PASSWORD_FILE = DATA_DIR / '.demo_password'


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run one command; the exit status of SPEC §8."""
    if args.command == 'demo':
        return demo(args, settings)
    if args.command == 'create-admin':
        return create_admin(args, settings)
    if args.command == 'backup':
        return backup(args, settings)
    if args.command == 'restore':
        return restore(args, settings)
    if args.command == 'import':
        from cli import imports

        return imports.run(args, settings)
    if args.command == 'export':
        from cli import exports

        return exports.run(args, settings)
    if args.command == 'rebuild':
        from cli import rebuild

        return rebuild.run(args, settings)
    if args.command == 'export-readings':
        from cli import readings_export

        return readings_export.run(args, settings)
    raise SystemExit(f'unknown command {args.command}')


def demo(args: argparse.Namespace, settings: Settings) -> int:
    from services.demo.loader import DemoAlreadyLoaded, demo_logins, load_demo

    system = build_system(settings)
    saved = DEMO_PASSWORD_FILE.read_text(encoding='utf-8').strip() if DEMO_PASSWORD_FILE.exists() else ''
    try:
        report = load_demo(system=system, accounts=args.accounts, password=settings.demo_password or None)
    except DemoAlreadyLoaded:
        print('The database already holds data; the demo is loaded only into an empty database.')
        password = settings.demo_password or saved
        if password:
            print(
                'Demo logins:\n'
                + '\n'.join(f'  {role}: {login} / password {password}' for role, login in demo_logins())
            )
        return 0
    if settings.mode == 'demo' and not settings.demo_password:
        # `make run` prints the logins on every start, so a generated password is kept beside the database
        DEMO_PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
        DEMO_PASSWORD_FILE.write_text(report.password, encoding='utf-8')
        DEMO_PASSWORD_FILE.chmod(0o600)
    print(report.text())
    return 0


def create_admin(args: argparse.Namespace, settings: Settings) -> int:
    from services.identity.users import UserExists, create_staff

    password = os.environ.get('KABINET_ADMIN_PASSWORD') or ''
    if not password:
        if not sys.stdin.isatty():
            print('Set KABINET_ADMIN_PASSWORD or run in a terminal to type the password.', file=sys.stderr)
            return 2
        password = getpass.getpass('Password: ')
        if password != getpass.getpass('Repeat: '):
            print('The passwords differ.', file=sys.stderr)
            return 2
    system = build_system(settings)
    try:
        with system.session() as session:
            user = create_staff(
                session=session, email=args.email, password=password, name=args.name, admin=True, now=system.now()
            )
            session.commit()
    except UserExists:
        print(f'A user with the email {args.email} already exists.', file=sys.stderr)
        return 1
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    print(f'Admin {user.email} created.')
    return 0


def backup(args: argparse.Namespace, settings: Settings) -> int:
    from services.core.backup import BackupError, backup_database

    system = build_system(settings)
    try:
        written = backup_database(engine=system.engine, target=args.path)
    except BackupError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f'Backup written to {written}')
    return 0


def restore(args: argparse.Namespace, settings: Settings) -> int:
    """Restore a backup into the configured database, which must be empty; then bring it to the newest schema."""
    from services.core.backup import BackupError, restore_database
    from services.core.db import make_engine, migrate

    engine = make_engine(settings.database_url)  # not build_system: migrating first would make it non-empty
    try:
        restore_database(engine=engine, source=args.path)
    except BackupError as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    engine = make_engine(settings.database_url)
    migrate(engine)
    engine.dispose()
    print(f'Restored {args.path}; the database is at the newest schema.')
    return 0
