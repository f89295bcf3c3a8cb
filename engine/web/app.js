// The flink-cpp web UI: the views of Flink's dashboard drawn from the REST
// API of the jobmanager that serves this page, refreshed every two seconds.
'use strict';

const view = document.getElementById('view');
// pressed: a pointer is down, so the view is not replaced under a click.
// signIn: the REST API asked for a token (rest.authentication.token-file), with why.
const ui = { job: null, vertex: null, tab: 'graph', webSubmit: false, webCancel: false, pressed: false, shown: '', signIn: null };

// The REST token of this browser session (asked for once, kept until the tab closes).
const tokenKey = 'flink-cpp-rest-token';

// Every request to the REST API: with the session's token, if there is one.
// A 401 forgets the token and shows the sign-in form.
async function api(path, options = {}) {
  const token = sessionStorage.getItem(tokenKey);
  const headers = Object.assign({}, options.headers, token ? { Authorization: `Bearer ${token}` } : {});
  const r = await fetch(path, Object.assign({}, options, { headers }));
  if (r.status === 401) {
    sessionStorage.removeItem(tokenKey);
    const body = await r.json().catch(() => ({}));
    ui.signIn = (body.errors || ['a token is needed']).join('; ');
    signInView();
    throw new Error(ui.signIn);
  }
  return r;
}

async function get(path) {
  const r = await api(path);
  const body = await r.json();
  if (!r.ok) throw new Error((body.errors || [r.statusText]).join('; '));
  return body;
}

function esc(text) {
  return String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function duration(ms) {
  if (ms < 0) return '-';
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor(s / 60) % 60}m`;
}

function time(ms) {
  return ms > 0 ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '-';
}

function state(s) {
  return `<span class="state ${esc(s)}">${esc(s)}</span>`;
}

function card(label, value, id) {
  return `<div class="card"><div class="value" id="${id}">${esc(value)}</div><div class="label">${esc(label)}</div></div>`;
}

function jobRows(jobs) {
  if (jobs.length === 0) return '<tr><td colspan="5">none</td></tr>';
  return jobs.map(j => `<tr class="link job-row" data-job="${esc(j.jid)}">
      <td>${esc(j.name)}</td><td>${state(j.state)}</td><td>${time(j['start-time'])}</td>
      <td>${duration(j.duration)}</td><td>${esc(j.jid)}</td></tr>`).join('');
}

function jobsTables(jobs) {
  const running = jobs.filter(j => !['FINISHED', 'FAILED', 'CANCELED'].includes(j.state));
  const completed = jobs.filter(j => ['FINISHED', 'FAILED', 'CANCELED'].includes(j.state));
  const head = '<tr><th>Name</th><th>Status</th><th>Start</th><th>Duration</th><th>Job ID</th></tr>';
  return `<h2>Running Jobs</h2><table id="running-jobs">${head}${jobRows(running)}</table>
    <h2>Completed Jobs</h2><table id="completed-jobs">${head}${jobRows(completed)}</table>`;
}

async function overviewView() {
  const [o, jobs] = await Promise.all([get('/overview'), get('/jobs/overview')]);
  return `<h1>Overview</h1><div class="cards">
      ${card('Task Managers', o.taskmanagers, 'taskmanager-count')}
      ${card('Task Slots', o['slots-total'], 'slots-total')}
      ${card('Available Slots', o['slots-available'], 'slots-available')}
      ${card('Running Jobs', o['jobs-running'], 'jobs-running')}
      ${card('Finished', o['jobs-finished'], 'jobs-finished')}
      ${card('Canceled', o['jobs-cancelled'], 'jobs-cancelled')}
      ${card('Failed', o['jobs-failed'], 'jobs-failed')}</div>${jobsTables(jobs.jobs)}`;
}

async function jobsView() {
  const jobs = await get('/jobs/overview');
  return `<h1>Jobs</h1>${jobsTables(jobs.jobs)}`;
}

async function taskManagersView() {
  const tms = await get('/taskmanagers');
  const rows = tms.taskmanagers.map(t => `<tr class="taskmanager-row"><td>${esc(t.id)}</td>
      <td>${esc(t.path)}</td><td>${t.slotsNumber}</td><td>${t.freeSlots}</td>
      <td>${duration(t.timeSinceLastHeartbeat)} ago</td></tr>`).join('');
  return `<h1>Task Managers</h1><table id="taskmanagers"><tr><th>ID</th><th>Path</th>
      <th>Slots</th><th>Free Slots</th><th>Last Heartbeat</th></tr>${rows}</table>`;
}

/// Columns by the longest path from a source, rows in plan order.
function layout(nodes) {
  const byId = new Map(nodes.map(n => [n.id, n]));
  const depth = new Map();
  const depthOf = n => {
    if (depth.has(n.id)) return depth.get(n.id);
    const d = (n.inputs || []).reduce((m, i) => Math.max(m, 1 + depthOf(byId.get(i.id))), 0);
    depth.set(n.id, d);
    return d;
  };
  const rows = new Map();
  const at = new Map();
  for (const n of nodes) {
    const d = depthOf(n);
    const r = rows.get(d) || 0;
    rows.set(d, r + 1);
    at.set(n.id, { x: 30 + d * 330, y: 30 + r * 120 });
  }
  return at;
}

function graphSvg(plan, metrics) {
  const at = layout(plan.nodes);
  const w = 250, h = 96;
  let width = 0, height = 0;
  for (const p of at.values()) { width = Math.max(width, p.x + w + 30); height = Math.max(height, p.y + h + 30); }
  let edges = '', vertices = '';
  for (const n of plan.nodes) {
    const p = at.get(n.id);
    for (const i of n.inputs || []) {
      const q = at.get(i.id);
      const x1 = q.x + w, y1 = q.y + h / 2, x2 = p.x, y2 = p.y + h / 2;
      edges += `<path class="edge" d="M${x1},${y1} C${x1 + 40},${y1} ${x2 - 40},${y2} ${x2},${y2}"/>
        <text class="edge-label" x="${(x1 + x2) / 2 - 30}" y="${(y1 + y2) / 2 - 6}">${esc(i.ship_strategy)}</text>`;
    }
    const m = metrics.get(n.id) || {};
    const name = n.description.replace(/&gt;/g, '>');
    const label = name.length > 34 ? name.slice(0, 33) + '…' : name;
    vertices += `<g class="vertex ${esc(m.level || '')}${ui.vertex === n.id ? ' selected' : ''}"
        data-vertex="${esc(n.id)}" data-parallelism="${n.parallelism}" transform="translate(${p.x},${p.y})">
      <rect width="${w}" height="${h}"/><title>${esc(name)}</title>
      <text x="10" y="20">${esc(label)}</text>
      <text x="10" y="40">Parallelism: ${n.parallelism}</text>
      <text x="10" y="60">In: ${m.in ?? '-'}  Out: ${m.out ?? '-'}  ${m.level ? 'Backpressure: ' + esc(m.level) : ''}</text>
      <text x="10" y="80">Low Watermark: ${esc(m.watermark ?? '-')}</text></g>`;
  }
  return `<svg class="graph" id="job-graph" viewBox="0 0 ${width} ${height}" height="${height}">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">
      <path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker></defs>${edges}${vertices}</svg>`;
}

// Flink's "Low Watermark" of a vertex: the lowest of its subtasks' input watermarks.
function lowWatermark(watermarks) {
  if (!watermarks.length) return '-';
  const low = Math.min(...watermarks.map(w => Number(w.value)));
  return low <= -9.2e18 ? 'No Watermark' : low >= 9.2e18 ? 'end of input' : time(low);
}

async function vertexMetrics(jid, nodes) {
  const out = new Map();
  await Promise.all(nodes.map(async n => {
    const base = `/jobs/${jid}/vertices/${n.id}`;
    const [sums, pressure, watermarks] = await Promise.all([
      get(`${base}/subtasks/metrics?get=numRecordsIn,numRecordsOut`).catch(() => []),
      get(`${base}/backpressure`).catch(() => ({})),
      get(`${base}/watermarks`).catch(() => [])]);
    const m = {};
    for (const s of sums) m[s.id === 'numRecordsIn' ? 'in' : 'out'] = s.sum;
    m.level = (pressure.subtasks || []).length ? pressure.backpressureLevel : '';
    m.watermark = lowWatermark(watermarks);
    out.set(n.id, m);
  }));
  return out;
}

async function subtasksPanel(jid, vid) {
  const v = await get(`/jobs/${jid}/vertices/${vid}`);
  const rows = v.subtasks.map(s => `<tr class="subtask-row"><td>${s.subtask}</td><td>${state(s.status)}</td>
      <td>${esc(s.endpoint || s.host || '-')}</td><td>${duration(s.duration)}</td></tr>`).join('');
  return `<h2 id="subtasks-title">${esc(v.name)}: subtasks</h2><table id="subtasks">
      <tr><th>Subtask</th><th>Status</th><th>Endpoint</th><th>Duration</th></tr>${rows}</table>`;
}

async function checkpointsPanel(jid) {
  const c = await get(`/jobs/${jid}/checkpoints`);
  const rows = (c.history || []).map(h => `<tr class="checkpoint-row"><td>${h.id}</td><td>${esc(h.status)}</td>
      <td>${time(h.trigger_timestamp)}</td><td>${duration(h.end_to_end_duration)}</td><td>${h.state_size}</td></tr>`).join('');
  const n = c.counts;
  return `<div class="cards">${card('Completed', n.completed, 'checkpoints-completed')}${card('Failed', n.failed, 'checkpoints-failed')}
      ${card('In Progress', n.in_progress, 'checkpoints-in-progress')}${card('Restored', n.restored, 'checkpoints-restored')}</div>
      <h2>History</h2><table id="checkpoint-history"><tr><th>ID</th><th>Status</th><th>Triggered</th><th>Duration</th>
      <th>State Size</th></tr>${rows || '<tr><td colspan="5">none</td></tr>'}</table>`;
}

async function exceptionsPanel(jid) {
  const e = await get(`/jobs/${jid}/exceptions`);
  const rows = e.exceptionHistory.entries.map(x => `<tr class="exception-row"><td>${time(x.timestamp)}</td>
      <td>${esc(x.taskName || '-')}</td><td><pre>${esc(x.stacktrace)}</pre></td></tr>`).join('');
  return `<table id="exceptions"><tr><th>Time</th><th>Task</th><th>Exception</th></tr>${rows || '<tr><td colspan="3">none</td></tr>'}</table>`;
}

async function jobView(jid) {
  const [job, plan] = await Promise.all([get(`/jobs/${jid}`), get(`/jobs/${jid}/plan`)]);
  const running = !['FINISHED', 'FAILED', 'CANCELED', 'CANCELLING'].includes(job.state);
  let panel;
  if (ui.tab === 'checkpoints') panel = await checkpointsPanel(jid);
  else if (ui.tab === 'exceptions') panel = await exceptionsPanel(jid);
  else {
    panel = graphSvg(plan.plan, await vertexMetrics(jid, plan.plan.nodes));
    if (ui.vertex) panel += await subtasksPanel(jid, ui.vertex);
  }
  const tabs = ['graph', 'checkpoints', 'exceptions'].map(t =>
    `<button data-tab="${t}" class="${ui.tab === t ? 'active' : ''}">${t[0].toUpperCase() + t.slice(1)}</button>`).join('');
  return `<h1><span id="job-name">${esc(job.name)}</span> ${state(job.state)}</h1>
    <div>Job ID ${esc(job.jid)} · started ${time(job['start-time'])} · duration ${duration(job.duration)}
    ${running && ui.webCancel ? ' · <button class="danger" id="cancel-job">Cancel Job</button>' : ''}</div>
    <div class="tabs">${tabs}</div><div class="panel">${panel}</div>`;
}

function signInView() {
  const shown = document.getElementById('token-error');
  if (shown) { shown.textContent = ui.signIn; return; }
  view.innerHTML = `<h1>Sign in</h1><form class="submit" id="token-form">
    <label>REST token <input type="password" name="token" autocomplete="current-password" required></label>
    <button type="submit">Sign in</button><div class="error" id="token-error">${esc(ui.signIn)}</div></form>`;
  ui.shown = view.innerHTML;
}

function submitView() {
  ui.shown = '';
  view.innerHTML = `<h1>Submit New Job</h1><form class="submit" id="submit-form">
    <label>Job library (.so) <input type="file" name="jarfile" accept=".so" required></label>
    <label>Program arguments <input type="text" name="args" placeholder="--input /data/in.txt"></label>
    <label>Parallelism <input type="number" name="parallelism" min="1" value="1"></label>
    <button type="submit">Submit</button><div class="error" id="submit-error"></div></form>`;
}

async function submit(form) {
  const data = new FormData();
  data.append('jarfile', form.jarfile.files[0]);
  const uploaded = await api('/jars/upload', { method: 'POST', body: data }).then(r => r.json());
  if (uploaded.errors) throw new Error(uploaded.errors.join('; '));
  const jar = uploaded.filename.split('/').pop();
  const args = form.args.value.trim();
  const r = await api(`/jars/${jar}/run`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ programArgsList: args ? args.split(/\s+/) : [], parallelism: Number(form.parallelism.value) })
  }).then(r => r.json());
  if (r.errors) throw new Error(r.errors.join('; '));
  location.hash = `#/jobs/${r.jobid}`;
}

async function render() {
  const [, page, id] = location.hash.split('/');
  for (const a of document.querySelectorAll('[data-nav]'))
    a.classList.toggle('active', a.dataset.nav === (page || 'overview'));
  let html;
  if (ui.signIn !== null) { signInView(); return; }
  try {
    if (page === 'jobs' && id) {
      if (ui.job !== id) { ui.job = id; ui.vertex = null; ui.tab = 'graph'; }
      html = await jobView(id);
    } else if (page === 'jobs') html = await jobsView();
    else if (page === 'taskmanagers') html = await taskManagersView();
    else if (page === 'submit') { if (!document.getElementById('submit-form')) submitView(); return; }
    else html = await overviewView();
    document.getElementById('refreshed').textContent = 'refreshed ' + new Date().toLocaleTimeString();
  } catch (e) {
    if (ui.signIn !== null) return; // the sign-in form stays
    html = `<p class="error">${esc(e.message)}</p>`;
  }
  if (!ui.pressed && html !== ui.shown) {
    view.innerHTML = html;
    ui.shown = html;
  }
}

view.addEventListener('click', async e => {
  const row = e.target.closest('.job-row');
  if (row) { location.hash = `#/jobs/${row.dataset.job}`; return; }
  const vertex = e.target.closest('.vertex');
  if (vertex) { ui.vertex = vertex.dataset.vertex; await render(); return; }
  const tab = e.target.closest('[data-tab]');
  if (tab) { ui.tab = tab.dataset.tab; await render(); return; }
  if (e.target.id === 'cancel-job') {
    // An empty body, sent with its length: the server waits for one otherwise.
    await api(`/jobs/${ui.job}?mode=cancel`, { method: 'PATCH', body: '' });
    await render();
  }
});

view.addEventListener('submit', async e => {
  e.preventDefault();
  if (e.target.id === 'token-form') {
    sessionStorage.setItem(tokenKey, e.target.token.value.trim());
    ui.signIn = null;
    ui.shown = '';
    loadFeatures();
    await render();
    return;
  }
  try { await submit(e.target); } catch (err) { document.getElementById('submit-error').textContent = err.message; }
});

view.addEventListener('pointerdown', () => { ui.pressed = true; });
window.addEventListener('pointerup', () => setTimeout(() => { ui.pressed = false; }));
window.addEventListener('hashchange', render);

function loadFeatures() {
  get('/config').then(c => {
    ui.webSubmit = c.features['web-submit'];
    ui.webCancel = c.features['web-cancel'];
    document.getElementById('nav-submit').hidden = !ui.webSubmit;
  }).catch(() => {});
}

loadFeatures();
render();
setInterval(render, 2000);
