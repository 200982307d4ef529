"""Debian's nginx in front of local portal processes, with deploy/'s site: for the many-clients harness and the
test of two processes behind nginx (tests/e2e/test_behind_nginx.py).

The site is deploy/nginx/kabinet.conf as the README installs it, with its addresses, certificate and cache moved
into a scratch folder: TLS on 127.0.0.1:`port` with a self-signed certificate, one upstream line per process.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX = '/usr/sbin/nginx'
UNVERIFIED = ssl._create_unverified_context()  # the certificate is made here, self-signed


def missing() -> str:
    """Why nginx cannot be started here ('' when it can)."""
    if not Path(NGINX).exists():
        return f'no nginx at {NGINX}: apt-get install nginx'
    if not shutil.which('openssl'):
        return 'no openssl to make a test certificate'
    return ''


def start(folder: Path, port: int, upstreams: list[int]) -> subprocess.Popen[bytes]:
    """nginx in the foreground on https://127.0.0.1:`port`, proxying to the processes on `upstreams`."""
    site = (ROOT / 'deploy' / 'nginx' / 'kabinet.conf').read_text(encoding='utf-8')
    servers = ''.join(f'    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n' for p in upstreams)
    site = re.sub(r'(    server 127\.0\.0\.1:\d+ [^\n]*\n)+', servers, site)
    site = site.replace('/etc/letsencrypt/live/kabinet.example.ru/fullchain.pem', str(folder / 'cert.pem'))
    site = site.replace('/etc/letsencrypt/live/kabinet.example.ru/privkey.pem', str(folder / 'key.pem'))
    site = site.replace('/var/cache/nginx/kabinet', str(folder / 'cache'))
    site = site.replace('listen 80;', f'listen 127.0.0.1:{free_port()};').replace('listen [::]:80;', '')
    site = site.replace('listen 443 ssl http2;', f'listen 127.0.0.1:{port} ssl http2;')
    site = site.replace('listen [::]:443 ssl http2;', '')
    (folder / 'snippets').mkdir(exist_ok=True)
    shutil.copy(ROOT / 'deploy' / 'nginx' / 'kabinet-locations.conf', folder / 'snippets')
    (folder / 'site.conf').write_text(site, encoding='utf-8')
    subprocess.run(
        ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
         '-keyout', str(folder / 'key.pem'), '-out', str(folder / 'cert.pem')], check=True, capture_output=True,
    )  # fmt: skip
    (folder / 'logs').mkdir(exist_ok=True)
    (folder / 'nginx.conf').write_text(
        ('user root;\n' if os.geteuid() == 0 else '')
        + f'daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/logs/error.log;\n'
        + 'events { worker_connections 4096; }\n'
        + f'http {{\n  access_log off;\n  include /etc/nginx/mime.types;\n  include {folder}/site.conf;\n}}\n',
        encoding='utf-8',
    )
    process = subprocess.Popen([NGINX, '-p', str(folder), '-c', str(folder / 'nginx.conf')], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not healthy(f'https://127.0.0.1:{port}') and process.poll() is None:
        if time.monotonic() > deadline:
            process.terminate()
            raise AssertionError('nginx did not answer /healthz within 20 s')
    if process.poll() is not None:
        raise AssertionError(process.stderr.read().decode() if process.stderr else 'nginx stopped')
    return process


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f'{url}/healthz', context=UNVERIFIED, timeout=2) as response:
            return response.status == 200
    except OSError:
        time.sleep(0.2)
        return False


def source_address(i: int) -> str:
    """The i-th client's own loopback address: nginx routes a browser by its address, so clients of a rush that
    should be spread as browsers are come from 127.0.0.2, 127.0.0.3, ... (any 127.x.y.z reaches this machine)."""
    return f'127.0.{i // 250}.{i % 250 + 2}'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])
