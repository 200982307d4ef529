"""Many residents opening a page at once: Kabinet's `/` and `/readings` against a bare NiceGUI page, one run.

Each client does what a browser does first: GET the page (logged in, with a session cookie) and open its
socket.io connection. Two times are taken from the GET: «live», when the connection is accepted (the page shows
what its HTML holds and answers clicks), and «complete», when the last update the server sends after connecting
has arrived (a page that fills itself after connecting, with tiles or a chart, is complete only then; the bare page
sends none, so its two times are one). Every target runs in a fresh server process on this machine; the server's
resident memory is read before the clients come and once every page is complete (no update for a few seconds),
and so is the servers' CPU time, which a machine busy with other work disturbs far less than the times.
Figures are ratios to the bare page, which is measured in the same run on the same machine.

`python -m bench.many_clients [--clients 200] [--processes 2]`; needs nothing but the project's environment
(SQLite). With `--processes N` Kabinet is measured again on N processes sharing the clients, client i on process
i mod N, as nginx's sticky routing spreads browsers (memory per tab: all processes together). With `--nginx` too,
the N processes are measured once more behind Debian's nginx with deploy/'s site (TLS, sticky routing by the
client's address): every client connects to nginx from an address of its own (127.0.x.y), and nginx chooses the
process; memory and CPU per tab then count nginx's processes too. Rows of several processes show how the tabs
were spread, as the processes count their connected tabs at the end (a socket cut meanwhile is missing there).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import socketio
from sqlmodel import Session, select

from bench import nginx
from models import User
from services.core.db import make_engine
from services.identity.auth import open_session

ROOT = Path(__file__).resolve().parents[1]
CLIENT_ID = re.compile(r"'client_id': '([0-9a-f-]+)'")
QUIET_SECONDS = 10  # no update to any client for this long: every page is complete (a busy server pauses)
COMPLETE_WITHIN = 180.0
METRICS_TOKEN = 'bench-metrics-token'
ACK_SECONDS = 3.0  # nicegui.js acknowledges the messages it has received this often


@dataclass
class Result:
    name: str
    p50: float
    p95: float
    failed: int
    mib_per_tab: float
    complete_p95: float = float('nan')
    cpu_ms: float = float('nan')  # the servers' CPU time (all threads, user + system) per client served


@dataclass
class Probe:
    """One client's clock: when it asked, and when the last message of the server reached it."""

    started: float = 0.0
    last: float = 0.0
    next_message_id: int = 0  # one past the `_id` of the last message received, as the browser counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog='python -m bench.many_clients', description=__doc__.splitlines()[0])
    parser.add_argument('--clients', type=int, default=200, help='clients opening each page at once (200)')
    parser.add_argument('--processes', type=int, default=1, help='also measure Kabinet on this many processes')
    parser.add_argument('--nginx', action='store_true', help="and on them behind nginx with deploy/'s site")
    args = parser.parse_known_args(argv)[0]
    if args.nginx and (why := nginx.missing()):
        parser.error(why)
    asyncio.run(run_all(args.clients, args.processes, behind_nginx=args.nginx))


async def run_all(clients: int, processes: int = 1, *, behind_nginx: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        env = kabinet_env(data)
        subprocess.run([sys.executable, 'app.py', 'demo', '--accounts', '20'], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
        cookies = sessions(env['KABINET_DATABASE_URL'], clients)
        results = [
            await measure('bare NiceGUI /', [sys.executable, 'bench/bare_page.py'], {}, '/', [''] * clients),
            await measure('Kabinet /', [sys.executable, 'app.py', 'serve'], env, '/', cookies),
            await measure('Kabinet /readings', [sys.executable, 'app.py', 'serve'], env, '/readings', cookies),
        ]
        if processes > 1:
            serve = [sys.executable, 'app.py', 'serve']
            results.append(await measure(f'Kabinet / ×{processes}', serve, env, '/', cookies, processes))
            results.append(
                await measure(f'Kabinet /readings ×{processes}', serve, env, '/readings', cookies, processes)
            )
        if behind_nginx:
            serve, n = [sys.executable, 'app.py', 'serve'], max(processes, 2)
            for path in ('/', '/readings'):
                name = f'Kabinet {path} ×{n} nginx'
                results.append(await measure(name, serve, env, path, cookies, n, via=data / f'nginx{len(path)}'))
    report(results, clients)


def kabinet_env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    env.update(
        KABINET_DATABASE_URL=f'sqlite:///{data / "kabinet.db"}', KABINET_MODE='demo', KABINET_CAPTCHA='off',
        KABINET_STORAGE_SECRET='bench-secret-0123456789abcdef', KABINET_DEMO_PASSWORD='bench-pass-2026',
        KABINET_INBOX_DIR=str(data / 'inbox'),
    )  # fmt: skip
    return env


def sessions(database_url: str, n: int) -> list[str]:
    """`n` logged-in sessions of the demo resident, as the login page would open them."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == 'demo@example.com')).one()
        tokens = [
            open_session(session=session, user=user, ip='127.0.0.1', user_agent='bench', now=datetime.now(UTC))
            for _ in range(n)
        ]
        session.commit()
    engine.dispose()
    return [f'kabinet_session={token}' for token in tokens]


async def measure(
    name: str,
    command: list[str],
    env: dict[str, str],
    path: str,
    cookies: list[str],
    processes: int = 1,
    via: Path | None = None,
) -> Result:
    """Start `processes` servers, warm each up, then let every client open `path` at once (client i on server
    i mod processes, as nginx's sticky routing would spread them). With `via` (a folder for nginx's files), nginx
    stands in front of the servers and chooses the server of each client by its address."""
    ports = [free_port() for _ in range(processes)]
    proxy_port = free_port()
    if env:
        env = {**env, 'KABINET_METRICS_TOKEN': METRICS_TOKEN}
    if via is not None:
        via.mkdir(exist_ok=True)
        env = {**env, 'KABINET_TRUSTED_PROXIES': '127.0.0.1', 'KABINET_BASE_URL': f'https://127.0.0.1:{proxy_port}'}
    started = [
        subprocess.Popen(
            [*command, *([str(port)] if not env else [])],
            cwd=ROOT,
            env={**(env or os.environ), 'KABINET_PORT': str(port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f'http://127.0.0.1:{port}' for port in ports]
    proxy: subprocess.Popen[bytes] | None = None
    try:
        for url in urls:
            await wait_up(url)
            await one_client(url, path, cookies[0])  # warm-up: first imports and caches
        if via is not None:
            proxy = await asyncio.to_thread(nginx.start, via, proxy_port, ports)
            urls = [f'https://127.0.0.1:{proxy_port}']
            for i in range(processes * 4):  # warm-up through nginx, from addresses that reach every process
                await one_client(urls[0], path, cookies[0], source=nginx.source_address(i))
        await asyncio.sleep(1)
        pids = [p.pid for p in started] + (nginx_pids(proxy.pid) if proxy is not None else [])
        before = sum(rss_mib(pid) for pid in pids)
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        hold = asyncio.Event()
        loop = asyncio.get_running_loop()
        ready = [loop.create_future() for _ in cookies]
        probes = [Probe() for _ in cookies]
        sources = [nginx.source_address(i) if via is not None else None for i in range(len(cookies))]
        tasks = [
            asyncio.create_task(
                one_client(urls[i % len(urls)], path, c, hold=hold, ready=f, probe=probes[i], source=sources[i])
            )
            for i, (c, f) in enumerate(zip(cookies, ready, strict=True))
        ]
        outcomes = await asyncio.gather(*ready)
        await quiet(probes)  # the pages' updates after connecting (tiles, a chart) have all arrived
        after = sum(rss_mib(pid) for pid in pids)
        cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
        if processes > 1:  # how the clients were spread over the processes (nginx chooses by address)
            spread = [str(await connected(port)) for port in ports]
            name += f' ({"/".join(spread)})'
        hold.set()
        await asyncio.gather(*tasks)
        served = [(t, probe) for t, probe in zip(outcomes, probes, strict=True) if t is not None]
        times = sorted(t for t, _ in served)
        complete = sorted(max(t, probe.last - probe.started) for t, probe in served)
        failed = len(outcomes) - len(times)
        per_tab = (after - before) / max(len(times), 1)
        cpu_ms = cpu * 1000 / max(len(times), 1)
        return Result(name, pct(times, 50), pct(times, 95), failed, per_tab, pct(complete, 95), cpu_ms)
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=30)
        for process in started:
            process.terminate()
            process.wait(timeout=30)


def nginx_pids(master: int) -> list[int]:
    """nginx's master and its workers."""
    children = Path(f'/proc/{master}/task/{master}/children').read_text().split()
    return [master, *map(int, children)]


async def connected(port: int) -> int:
    """The tabs connected to the portal process on `port`, from its /metrics."""
    headers = {'Authorization': f'Bearer {METRICS_TOKEN}'}
    async with aiohttp.ClientSession() as http, http.get(f'http://127.0.0.1:{port}/metrics', headers=headers) as got:
        found = re.search(r'^kabinet_connected_clients (\d+)', await got.text(), re.M)
    return int(float(found.group(1))) if found else -1


async def one_client(
    url: str,
    path: str,
    cookie: str,
    *,
    hold: asyncio.Event | None = None,
    ready: asyncio.Future[float | None] | None = None,
    probe: Probe | None = None,
    source: str | None = None,
) -> None:
    """Tell `ready` the seconds from the GET to the accepted socket.io connection (None: failed); then keep the
    connection open until `hold` is set, noting in `probe` when the server's last message arrived."""
    ready = ready or asyncio.get_running_loop().create_future()
    try:
        await _connect_and_hold(url, path, cookie, hold, ready, probe or Probe(), source)
    finally:
        if not ready.done():
            ready.set_result(None)


async def _connect_and_hold(
    url: str,
    path: str,
    cookie: str,
    hold: asyncio.Event | None,
    ready: asyncio.Future[float | None],
    probe: Probe,
    source: str | None,
) -> None:
    started = probe.started = time.perf_counter()
    headers = {'Cookie': cookie} if cookie else {}
    # nginx's certificate is self-signed: not verified (`ssl=False`, which costs nothing, unlike socket.io's own
    # `ssl_verify=False`, a new default context with the system's certificates loaded for every connection)
    connector = aiohttp.TCPConnector(local_addr=(source, 0) if source else None, ssl=False)
    http = aiohttp.ClientSession(headers=headers, connector=connector)
    sio = socketio.AsyncClient(reconnection=False, http_session=http, websocket_extra_options={'ssl': False})

    @sio.on('*')
    def message(_event: str, data: object = None) -> None:
        probe.last = time.perf_counter()
        if isinstance(data, dict) and isinstance(data.get('_id'), int):
            probe.next_message_id = max(probe.next_message_id, data['_id'] + 1)

    try:
        async with http.get(url + path, allow_redirects=False, timeout=aiohttp.ClientTimeout(total=120)) as page:
            html = await page.text()
        found = CLIENT_ID.search(html)
        if page.status != 200 or not found:
            print(f'client failed: {path} answered {page.status}', file=sys.stderr)
            return
        query = (
            f'client_id={found.group(1)}&next_message_id=0&implicit_handshake=true'
            f'&document_id={uuid.uuid4()}&tab_id={uuid.uuid4()}'
        )
        await sio.connect(
            f'{url}?{query}', socketio_path='/_nicegui_ws/socket.io', transports=['websocket'],
            headers={**headers, 'Origin': url}, wait_timeout=120,
        )  # fmt: skip
        ready.set_result(time.perf_counter() - started)
        if hold is not None:
            acking = asyncio.create_task(_ack(sio, found.group(1), probe))
            try:
                await hold.wait()
            finally:
                acking.cancel()
    except (TimeoutError, aiohttp.ClientError, socketio.exceptions.ConnectionError) as error:
        print(f'client failed: {error!r}', file=sys.stderr)
        return
    except Exception as error:
        print(f'client failed: {error!r}', file=sys.stderr)
        return
    finally:
        if sio.connected:
            await sio.disconnect()
        await http.close()


async def _ack(sio: socketio.AsyncClient, client_id: str, probe: Probe) -> None:
    """Tell the server which messages have arrived, every ACK_SECONDS as NiceGUI's browser code does: the server
    keeps each message for a reconnecting tab until the browser acknowledges it."""
    acked = 0
    while True:
        await asyncio.sleep(ACK_SECONDS)
        if probe.next_message_id > acked and sio.connected:
            acked = probe.next_message_id
            await sio.emit('ack', {'client_id': client_id, 'next_message_id': acked})


async def quiet(probes: list[Probe]) -> None:
    """Wait until no client has had a message for QUIET_SECONDS (at most COMPLETE_WITHIN), counted from now at the
    earliest: when every client is connected before any page has sent its first update, the wait has only begun."""
    started = time.perf_counter()
    deadline = started + COMPLETE_WITHIN
    while time.perf_counter() < deadline:
        latest = max((p.last for p in probes), default=started)
        if time.perf_counter() - max(latest, started) >= QUIET_SECONDS:
            return
        await asyncio.sleep(0.5)


async def wait_up(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            try:
                async with http.get(url + '/', allow_redirects=False) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.3)
    raise RuntimeError(f'{url} did not start')


def rss_mib(pid: int) -> float:
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """The CPU time the process has used so far (user + system, all threads): what its pages cost, whatever else
    the machine runs meanwhile."""
    fields = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')  # utime, stime


def pct(values: list[float], q: int) -> float:
    if not values:
        return float('nan')
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])


def report(results: list[Result], clients: int) -> None:
    bare = results[0]
    print(f'\n{clients} clients at once (GET + socket.io, logged in), {os.cpu_count()} cores')
    print(
        f'{"page":<34} {"live p50":>9} {"live p95":>9} {"×bare":>6} {"complete p95":>13} {"×bare":>6} '
        f'{"MiB/tab":>8} {"×bare":>6} {"CPU ms/tab":>11} {"×bare":>6} {"failed":>7}'
    )
    for r in results:
        print(
            f'{r.name:<34} {r.p50:>9.2f} {r.p95:>9.2f} {r.p95 / bare.p95:>6.1f} {r.complete_p95:>13.2f} '
            f'{r.complete_p95 / bare.complete_p95:>6.1f} {r.mib_per_tab:>8.2f} '
            f'{r.mib_per_tab / bare.mib_per_tab:>6.1f} {r.cpu_ms:>11.1f} {r.cpu_ms / bare.cpu_ms:>6.1f} {r.failed:>7}'
        )


if __name__ == '__main__':
    main(sys.argv[1:])
