// Signs in to the web UI of a jobmanager whose REST API needs a token
// (rest.authentication.token-file), in Debian's headless Chromium:
//   node web_ui_sign_in.cjs BASE_URL TOKEN SCREENSHOT_DIR
// The page asks for the token, refuses a wrong one, shows the cluster with
// the right one, keeps it across a reload (the browser session) and asks
// again in a new session. Exits non-zero saying which step failed.
'use strict';
const { launch } = require('./chromium.cjs');

const [base, token, shots] = process.argv.slice(2);

async function main() {
  const browser = await launch();
  try {
    const session = async () => {
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      page.setDefaultTimeout(30000);
      return page;
    };
    let page = await session();
    const step = async (what, action) => {
      try { await action(); } catch (e) {
        await page.screenshot({ path: `${shots}/sign-in-failed.png`, fullPage: true }).catch(() => {});
        throw new Error(`${what}: ${e.message.split('\n')[0]}`);
      }
    };
    const signIn = async given => {
      await page.fill('#token-form input[name="token"]', given);
      await page.click('#token-form button[type="submit"]');
    };

    await page.goto(`${base}/#/overview`);
    await step('the page asks for the token', () => page.waitForSelector('#token-form'));
    await page.screenshot({ path: `${shots}/sign-in.png`, fullPage: true });
    await signIn(`${token}-wrong`);
    await step('a wrong token is refused', () => page.waitForFunction(
      () => /not valid/.test(document.getElementById('token-error')?.textContent || '')));
    await signIn(token);
    await step('the right token shows the cluster', () => page.waitForFunction(
      () => document.getElementById('taskmanager-count')?.textContent === '1'));
    await page.screenshot({ path: `${shots}/signed-in.png`, fullPage: true });
    await page.reload();
    await step('a reload keeps the session\'s token', () => page.waitForFunction(
      () => document.getElementById('taskmanager-count')?.textContent === '1'));
    if (await page.$('#token-form'))
      throw new Error('the page asked for the token again after a reload');

    page = await session();
    await page.goto(`${base}/#/overview`);
    await step('a new session asks again', () => page.waitForSelector('#token-form'));
  } finally {
    await browser.close();
  }
}

main().then(() => console.log('sign-in checks passed'), e => {
  console.error(e.message);
  process.exit(1);
});
