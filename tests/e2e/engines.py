"""Three browser engines behind one small interface, for the cross-browser tour (SPEC S12).

Chromium through Playwright, Firefox ESR through puppeteer-core over WebDriver BiDi (a Node process that reads
JSON commands), WebKitGTK (Safari's engine) through Selenium and WebKitWebDriver on a private Xvfb display.
Each engine gives: open a URL, run JavaScript, click and type with real input events, take a screenshot.
`missing(engine)` says why an engine cannot run here, or None.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

HERE = Path(__file__).resolve().parent / 'browsers'
FIREFOX = os.environ.get('FIREFOX', '/usr/bin/firefox-esr')
WEBKIT_DRIVER = shutil.which('WebKitWebDriver') or '/usr/bin/WebKitWebDriver'
MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'


class Engine(Protocol):
    def open(self, url: str) -> None: ...
    def js(self, body: str, args: Any = None) -> Any: ...  # `body` is a function body that sees `args`
    def click(self, x: float, y: float) -> None: ...
    def type(self, text: str) -> None: ...
    def screenshot(self, path: Path) -> None: ...
    def url(self) -> str: ...
    def errors(self) -> list[str]: ...  # uncaught JavaScript errors of the pages so far (WebKitGTK cannot tell)
    def close(self) -> None: ...


def missing(engine: str) -> str | None:
    """Why `engine` cannot run on this machine (what to install), or None."""
    if engine == 'firefox':
        if not Path(FIREFOX).exists():
            return f'no Firefox ESR at {FIREFOX}: apt-get install firefox-esr'
        if shutil.which('node') is None:
            return 'no Node.js for puppeteer-core: apt-get install nodejs npm'
        if not (HERE / 'node_modules' / 'puppeteer-core').exists():
            return 'puppeteer-core is not installed: npm ci --prefix tests/e2e/browsers'
    if engine == 'webkit':
        if not Path(WEBKIT_DRIVER).exists() or not Path(MINIBROWSER).exists():
            return 'no WebKitWebDriver or MiniBrowser: apt-get install webkit2gtk-driver'
        if shutil.which('Xvfb') is None:
            return 'no Xvfb for WebKitGTK: apt-get install xvfb'
        if importlib.util.find_spec('selenium') is None:
            return 'selenium is not installed: pip install -c constraints.txt -e .[dev]'
    return None


class Chromium:
    def __init__(self, browser: Any, options: dict[str, Any]) -> None:
        self.context = browser.new_context(locale='ru-RU', **options)
        self.page = self.context.new_page()
        self.page_errors: list[str] = []
        self.page.on('pageerror', lambda error: self.page_errors.append(str(error)))

    def open(self, url: str) -> None:
        self.page.goto(url)

    def js(self, body: str, args: Any = None) -> Any:
        return self.page.evaluate(f'(args) => {{ {body} }}', args)

    def click(self, x: float, y: float) -> None:
        self.page.mouse.click(x, y)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=str(path))

    def url(self) -> str:
        return str(self.page.url)

    def errors(self) -> list[str]:
        self.page.wait_for_timeout(100)  # lets Playwright deliver the events it has received
        return list(self.page_errors)

    def close(self) -> None:
        self.context.close()


class Firefox:
    def __init__(self, width: int, height: int, mobile: bool) -> None:
        self.process = subprocess.Popen(
            ['node', str(HERE / 'firefox.js'), str(width), str(height), str(int(mobile))],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, 'FIREFOX': FIREFOX},
        )
        self._answer()  # the browser's version once it runs

    def _answer(self) -> Any:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError('the Firefox driver exited')
        answer = json.loads(line)
        if not answer['ok']:
            raise RuntimeError(answer['error'])
        return answer['value']

    def _send(self, cmd: str, **fields: Any) -> Any:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({'cmd': cmd, **fields}) + '\n')
        self.process.stdin.flush()
        return self._answer()

    def open(self, url: str) -> None:
        self._send('goto', url=url)

    def js(self, body: str, args: Any = None) -> Any:
        return self._send('eval', body=body, args=args)

    def click(self, x: float, y: float) -> None:
        self._send('click', x=x, y=y)

    def type(self, text: str) -> None:
        self._send('type', text=text)

    def screenshot(self, path: Path) -> None:
        self._send('screenshot', path=str(path))

    def url(self) -> str:
        return str(self._send('url'))

    def errors(self) -> list[str]:
        return list(self._send('errors'))

    def close(self) -> None:
        try:
            self._send('close')
        finally:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class WebKit:
    """MiniBrowser in automation mode on its own Xvfb display; a GTK stylesheet lets its window shrink to 390 px."""

    def __init__(self, width: int, height: int) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.service import Service

        self.config = Path(tempfile.mkdtemp(prefix='kabinet-webkit-'))
        (self.config / 'gtk-3.0').mkdir()
        shutil.copy(HERE / 'gtk.css', self.config / 'gtk-3.0' / 'gtk.css')
        read, write = os.pipe()
        self.xvfb = subprocess.Popen(
            ['Xvfb', '-displayfd', str(write), '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'], pass_fds=[write]
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            display = ':' + pipe.readline().strip()
        options = webdriver.WebKitGTKOptions()
        options.binary_location = MINIBROWSER
        options.add_argument('--automation')
        env = {
            **os.environ,
            'DISPLAY': display,
            'XDG_CONFIG_HOME': str(self.config),
            'LANGUAGE': 'ru',
            'LANG': 'ru_RU.UTF-8',
        }
        try:
            with warnings.catch_warnings():  # Selenium's WebKitGTK driver uses an argument Selenium itself deprecates
                warnings.simplefilter('ignore', DeprecationWarning)
                self.driver = webdriver.WebKitGTK(options=options, service=Service(WEBKIT_DRIVER, env=env))
        except Exception:
            self.xvfb.terminate()
            raise
        self.driver.set_window_size(width, height)
        chrome = self.driver.execute_script('return window.outerHeight - window.innerHeight')
        self.driver.set_window_size(width, height + int(chrome))  # the page itself gets width × height

    def open(self, url: str) -> None:
        self.driver.get(url)

    def js(self, body: str, args: Any = None) -> Any:
        return self.driver.execute_script(f'const args = arguments[0]; {body}', args)

    def _act(self, build: Callable[[], None]) -> None:
        """Perform input actions; WebKitWebDriver now and then answers «unknown error» to the first one of a
        freshly sized window, so an action is tried up to three times."""
        from selenium.common.exceptions import WebDriverException

        for attempt in range(3):
            try:
                build()
                return
            except WebDriverException:
                if attempt == 2:
                    raise
                self.driver.execute_script('return 1')  # release what the failed action held
                time.sleep(0.5)

    def click(self, x: float, y: float) -> None:
        from selenium.webdriver.common.actions.action_builder import ActionBuilder

        def build() -> None:
            actions = ActionBuilder(self.driver)
            actions.pointer_action.move_to_location(int(x), int(y))
            actions.pointer_action.click()
            actions.perform()

        self._act(build)

    def type(self, text: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        self._act(lambda: ActionChains(self.driver).send_keys(text).perform())

    def screenshot(self, path: Path) -> None:
        self.driver.save_screenshot(str(path))

    def url(self) -> str:
        return str(self.driver.current_url)

    def errors(self) -> list[str]:
        return []

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.xvfb.terminate()
            self.xvfb.wait(timeout=10)
            shutil.rmtree(self.config, ignore_errors=True)
