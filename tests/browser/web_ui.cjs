// Drives the web UI in Debian's headless Chromium (npm playwright-core):
//   node web_ui.cjs BASE_URL JOB_ID VERTICES SCREENSHOT_DIR
// VERTICES: "id:parallelism,..." of the job's plan. Exits non-zero, saying
// what was missing, when a view does not show what the REST API says.
'use strict';
const { launch } = require('./chromium.cjs');

const [base, job, verticesArg, shots] = process.argv.slice(2);
const vertices = verticesArg.split(',').map(v => {
  const [id, parallelism] = v.split(':');
  return { id, parallelism: Number(parallelism) };
});

async function main() {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30000);
    const step = async (what, action) => {
      try { await action(); } catch (e) {
        await page.screenshot({ path: `${shots}/failed.png`, fullPage: true }).catch(() => {});
        throw new Error(`${what}: ${e.message.split('\n')[0]} (expected vertices ${verticesArg})`);
      }
    };

    await page.goto(`${base}/#/overview`);
    await step('the overview shows two taskmanagers', () => page.waitForFunction(
      () => document.getElementById('taskmanager-count')?.textContent === '2'));
    await step('the overview lists the running job', () =>
      page.waitForSelector(`#running-jobs .job-row[data-job="${job}"]`));
    await page.screenshot({ path: `${shots}/overview.png`, fullPage: true });

    await page.click(`.job-row[data-job="${job}"]`);
    await step('the job page draws one node per vertex', () => page.waitForFunction(
      n => document.querySelectorAll('#job-graph .vertex').length === n, vertices.length));
    const drawn = await page.$$eval('#job-graph .vertex',
      els => els.map(e => ({ id: e.dataset.vertex, parallelism: Number(e.dataset.parallelism) })));
    for (const v of vertices) {
      const d = drawn.find(x => x.id === v.id);
      if (!d || d.parallelism !== v.parallelism)
        throw new Error(`vertex ${v.id} drawn as ${JSON.stringify(d)}, expected parallelism ${v.parallelism}`);
    }
    await step('live records reach the graph', () => page.waitForFunction(
      () => [...document.querySelectorAll('#job-graph .vertex text')].some(t => /In: [1-9]/.test(t.textContent))));
    await step('the task after the timestamp assigner shows its low watermark', () => page.waitForFunction(
      () => [...document.querySelectorAll('#job-graph .vertex text')]
        .some(t => /Low Watermark: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(t.textContent))));
    await page.screenshot({ path: `${shots}/job.png`, fullPage: true });

    const first = vertices[vertices.length - 1];
    await page.click(`#job-graph .vertex[data-vertex="${first.id}"]`);
    await step('clicking a vertex lists its subtasks', () => page.waitForFunction(
      n => document.querySelectorAll('#subtasks .subtask-row').length === n, first.parallelism));
    await page.screenshot({ path: `${shots}/subtasks.png`, fullPage: true });

    await page.click('[data-tab="checkpoints"]');
    await step('the checkpoints tab counts completed checkpoints', () => page.waitForFunction(
      () => Number(document.getElementById('checkpoints-completed')?.textContent) > 0));
    await page.screenshot({ path: `${shots}/checkpoints.png`, fullPage: true });

    await page.goto(`${base}/#/taskmanagers`);
    await step('the taskmanager list shows both', () => page.waitForFunction(
      () => document.querySelectorAll('#taskmanagers .taskmanager-row').length === 2));
    await page.screenshot({ path: `${shots}/taskmanagers.png`, fullPage: true });

    await page.goto(`${base}/#/jobs/${job}`);
    await page.click('#cancel-job');
    await step('cancel cancels the job', () => page.waitForFunction(
      () => document.querySelector('h1 .state')?.textContent === 'CANCELED'));
    await page.screenshot({ path: `${shots}/canceled.png`, fullPage: true });
  } finally {
    await browser.close();
  }
}

main().then(() => console.log('web UI checks passed'), e => {
  console.error(e.message);
  process.exit(1);
});
