// Firefox ESR over WebDriver BiDi (puppeteer-core, no geckodriver) for the cross-browser tour.
// Usage: node firefox.js WIDTH HEIGHT MOBILE(0|1); then one JSON command a line on stdin, one JSON answer a line
// on stdout: {"cmd": "goto", "url"} | {"cmd": "eval", "body", "args"} | {"cmd": "click", "x", "y"} |
// {"cmd": "type", "text"} | {"cmd": "screenshot", "path"} | {"cmd": "url"} | {"cmd": "errors"} | {"cmd": "close"}.
const readline = require('node:readline');
const puppeteer = require('puppeteer-core');

const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

async function main() {
  const [width, height, mobile] = process.argv.slice(2).map(Number);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {'intl.accept_languages': 'ru-RU, ru'},
  });
  const page = await browser.newPage();
  await page.setViewport({width, height, isMobile: Boolean(mobile), hasTouch: Boolean(mobile), deviceScaleFactor: mobile ? 2 : 1});
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  const commands = {
    goto: async ({url}) => { await page.goto(url, {waitUntil: 'load'}); },
    eval: async ({body, args}) => page.evaluate(`(function (args) { ${body} })(${JSON.stringify(args ?? null)})`),
    click: async ({x, y}) => { await page.mouse.click(x, y); },
    type: async ({text}) => { await page.keyboard.type(text); },
    screenshot: async ({path}) => { await page.screenshot({path}); },
    url: async () => page.url(),
    errors: async () => errors,
    close: async () => { await browser.close(); },
  };
  const lines = readline.createInterface({input: process.stdin});
  console.log(JSON.stringify({ok: true, value: await browser.version()}));
  for await (const line of lines) {
    const command = JSON.parse(line);
    try {
      const value = await commands[command.cmd](command);
      console.log(JSON.stringify({ok: true, value: value ?? null}));
    } catch (error) {
      console.log(JSON.stringify({ok: false, error: String(error && error.stack || error)}));
    }
    if (command.cmd === 'close') break;
  }
  await browser.close().catch(() => {});
  process.exit(0);
}

main().catch((error) => { console.log(JSON.stringify({ok: false, error: String(error)})); process.exit(1); });
