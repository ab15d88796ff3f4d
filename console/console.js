// The web console: plain ES modules, no build step and no framework (one page of tiles, charts and
// forms does not need one), uPlot for the charts (small, fast canvas charts that draw time series
// well). It talks to the service only through its public HTTP API, with relative URLs, so it
// works wherever the service is mounted, and loads nothing from anywhere else (strict CSP).
import uPlot from './vendor/uPlot.esm.js';

const API = 'api/v0/wal/telemetry';
const KEY_STORAGE = 'wal-telemetry-api-key';
const TILE_POLL_MS = 2_000;
const CHART_SPAN_SEC = 15 * 60;
/**
 * What the service defines, served from its own tables (console/definitions.json), so this page
 * copies none of it: the metric types with their titles, lines and units as words; the config
 * fields a request may not set (addresses and paths) and the legacy API's second names for fields.
 */
let definitions = { types: [], units: {}, config: { readOnly: [], legacyNames: [] } };
const COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#6b46c1'];

const $ = (selector) => document.querySelector(selector);
let intervalSec = 10;
let config = {};
const charts = new Map();

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function setStatus(text, ok) {
  const status = $('#status');
  status.textContent = text;
  status.className = `status ${ok ? 'ok' : 'bad'}`;
}

class ApiError extends Error {}

async function api(path, body) {
  const headers = { accept: 'application/json' };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${API}/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const result = await response.json();
  if (response.status === 401) {
    $('#api-key').focus();
    throw new ApiError(`the service needs its API key (enter it under Config): ${result.error.message}`);
  }
  if (!result.success) throw new ApiError(result.error?.message ?? `HTTP ${response.status}`);
  return result;
}

const number = (value, digits = 2) =>
  value === null || value === undefined ? '—' : Number(value).toFixed(digits);
const percent = (value) => (value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)} %`);
const millis = (seconds) =>
  seconds === null || seconds === undefined ? '—' : `${(seconds * 1000).toFixed(1)} ms`;

function tile(label, value, extraClass = '') {
  return element(
    'div',
    { class: 'tile' },
    element('div', { class: 'label' }, label),
    element('div', { class: `value ${extraClass}` }, value),
  );
}

function renderTiles(rt) {
  const queue =
    Object.entries(rt.queue)
      .map(([status, size]) => `${status} ${size}`)
      .join(' · ') || '—';
  const health = element('div', { class: 'value' });
  for (const [backend, h] of Object.entries(rt.backend_health)) {
    health.append(element('span', { class: `chip ${h.state}`, title: h.state }, backend));
  }
  const errorRate = rt.error_rate.value;
  $('#tiles').replaceChildren(
    tile('throughput', `${number(rt.throughput.value)} ops/s`),
    tile('error rate', percent(errorRate), errorRate > 0.05 ? 'bad' : ''),
    tile('operations', String(rt.total_operations)),
    tile(
      'latency p50 / p99',
      `${millis(rt.operation_latency.median)} / ${millis(rt.operation_latency.percentile_99)}`,
    ),
    tile('queue', queue),
    tile('retries', String(rt.retries.total)),
    element('div', { class: 'tile' }, element('div', { class: 'label' }, 'backends'), health),
  );
  $('#window').textContent =
    `(last ${rt.window_sec} s, updated ${new Date(rt.timestamp * 1000).toLocaleTimeString()})`;
  const rows = Object.entries(rt.latency).map(([key, s]) =>
    element(
      'tr',
      {},
      element('td', {}, key),
      element('td', {}, number(rt.throughput[key])),
      element('td', {}, percent(rt.error_rate[key])),
      element('td', {}, millis(s.median)),
      element('td', {}, millis(s.percentile_95)),
      element('td', {}, millis(s.percentile_99)),
      element('td', {}, millis(s.max)),
    ),
  );
  $('#latency tbody').replaceChildren(...rows);
}

async function pollTiles() {
  try {
    renderTiles(await api('realtime'));
    setStatus(`live · snapshots every ${intervalSec} s`, true);
  } catch (error) {
    setStatus(error.message, false);
  }
}

/**
 * One series as [seconds[], values[]], leading empty buckets cut so the range fits the data. The
 * range ends at `end`, the last whole step: each point is the step that ends at its time, so the
 * unfinished step under way is not drawn (its count would seem to fall), and every line of a
 * chart, asked with the same `end`, shares its step times.
 */
async function series(metricType, aggregation, end) {
  const query = new URLSearchParams({
    metric_type: metricType,
    step: `${intervalSec}s`,
    start_time: String(end - CHART_SPAN_SEC),
    end_time: String(end),
  });
  if (aggregation) query.set('aggregation', aggregation);
  const result = await api(`series?${query}`);
  const first = result.points.findIndex((p) => p.value !== null);
  const points = first === -1 ? [] : result.points.slice(first);
  return { unit: result.unit, xs: points.map((p) => p.timestamp), ys: points.map((p) => p.value) };
}

function chartOptions(unit, ratio, names, width) {
  return {
    width,
    height: 200,
    scales: { x: { time: true }, y: ratio ? { range: [0, 1] } : {} },
    axes: [{}, { label: definitions.units[unit] ?? unit, size: 60 }],
    series: [
      {},
      ...names.map((name, i) => ({
        label: name,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        points: { show: true },
      })),
    ],
    legend: { show: names.length > 1 },
  };
}

async function drawChart({ type: metricType, ratio, lines }) {
  const card = charts.get(metricType);
  const end = Math.floor(Date.now() / 1000 / intervalSec) * intervalSec;
  const data = await Promise.all(lines.map(([, aggregation]) => series(metricType, aggregation, end)));
  const xs = data[0].xs;
  card.dataset.points = String(xs.length);
  if (xs.length === 0) {
    card.plot?.destroy();
    card.plot = undefined;
    card.body.replaceChildren(
      element('div', { class: 'empty' }, 'No data yet: the first snapshot closes soon.'),
    );
    return;
  }
  // Each line is cut to its first value separately; align them on the first line's times.
  const aligned = data.map((d) =>
    xs.map((x) => {
      const i = d.xs.indexOf(x);
      return i === -1 ? null : d.ys[i];
    }),
  );
  // For the browser suite: how many lines have data, and the step the last point ends.
  card.dataset.lines = String(aligned.filter((ys) => ys.some((y) => y !== null)).length);
  card.dataset.lastPoint = String(xs.at(-1));
  const plotData = [xs, ...aligned];
  if (card.plot) {
    card.plot.setData(plotData);
    return;
  }
  card.body.replaceChildren();
  card.plot = new uPlot(
    chartOptions(
      data[0].unit,
      ratio,
      lines.map(([name]) => name),
      card.body.clientWidth || 400,
    ),
    plotData,
    card.body,
  );
}

async function drawCharts() {
  try {
    await Promise.all(definitions.types.map(drawChart));
    $('#charts-range').textContent =
      `(up to the last ${CHART_SPAN_SEC / 60} min, one point per ${intervalSec} s)`;
  } catch (error) {
    setStatus(error.message, false);
  }
}

async function setUpCharts() {
  const response = await fetch('console/definitions.json');
  if (!response.ok) throw new Error(`definitions: HTTP ${response.status}`);
  definitions = await response.json();
  for (const { type, title } of definitions.types) {
    const body = element('div', { class: 'body' });
    const card = element(
      'div',
      { class: 'chart', id: `chart-${type}`, 'data-points': '0' },
      element('h3', {}, title),
      body,
    );
    card.body = body;
    charts.set(type, card);
    $('#charts').append(card);
  }
}

async function listReports() {
  // One page, the newest: a store may hold thousands of reports.
  const { reports } = await api('reports?limit=20');
  $('#reports').replaceChildren(
    ...reports.map((r) =>
      element(
        'li',
        {},
        element(
          'a',
          { href: `${API}/reports/${r.report_id}/report.html`, target: '_blank', rel: 'noopener' },
          r.report_id,
        ),
        ` · ${new Date(r.created_at * 1000).toLocaleString()} · ${r.files.length} files`,
      ),
    ),
  );
}

async function newReport() {
  const status = $('#report-status');
  status.textContent = 'building…';
  try {
    const report = await api('report', { start_time: Date.now() / 1000 - 3600 });
    status.replaceChildren(
      'ready: ',
      element(
        'a',
        {
          href: `${API}/reports/${report.report_id}/report.html`,
          target: '_blank',
          rel: 'noopener',
          id: 'new-report-link',
        },
        'open the report',
      ),
    );
    await listReports();
  } catch (error) {
    status.textContent = error.message;
    status.className = 'error';
  }
}

function fieldInput(name, value) {
  const disabled = definitions.config.readOnly.includes(name);
  const title = disabled ? 'set in the config file or the environment, never over the API' : '';
  if (typeof value === 'boolean') {
    const input = element('input', { type: 'checkbox', name, title });
    input.checked = value;
    input.disabled = disabled;
    return element('label', {}, input, ` ${name}`);
  }
  const input = element('input', {
    type: typeof value === 'number' ? 'number' : 'text',
    name,
    title,
    step: 'any',
  });
  input.value = Array.isArray(value) ? value.join(',') : String(value);
  input.disabled = disabled;
  return element('label', {}, `${name} `, input);
}

async function loadConfig() {
  ({ config } = await api('config'));
  intervalSec = Math.max(1, config.aggregation_interval_sec);
  $('#config-fields').replaceChildren(
    ...Object.entries(config)
      .filter(([name]) => !definitions.config.legacyNames.includes(name))
      .map(([name, value]) => fieldInput(name, value)),
  );
}

async function saveConfig(event) {
  event.preventDefault();
  const status = $('#config-status');
  const changed = {};
  for (const input of $('#config-fields').querySelectorAll('input:not([disabled])')) {
    const before = config[input.name];
    let value;
    if (typeof before === 'boolean') value = input.checked;
    else if (typeof before === 'number') value = Number(input.value);
    else if (Array.isArray(before))
      value = input.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else value = input.value;
    if (JSON.stringify(value) !== JSON.stringify(before)) changed[input.name] = value;
  }
  if (Object.keys(changed).length === 0) {
    status.textContent = 'nothing changed';
    return;
  }
  try {
    const result = await api('config', changed);
    status.className = '';
    status.textContent = `updated ${result.updated.join(', ')}${result.warning ? ` — ${result.warning}` : ''}`;
    await loadConfig();
  } catch (error) {
    status.className = 'error';
    status.textContent = error.message;
  }
}

async function inject(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const body = { sampled: form.get('sampled') === 'on', formats: form.getAll('formats') };
  for (const field of ['trace_id', 'span_id']) if (form.get(field)) body[field] = form.get(field);
  try {
    const result = await api('context/inject', body);
    $('#inject-result').textContent = Object.entries(result.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
  } catch (error) {
    $('#inject-result').textContent = error.message;
  }
}

async function extract(event) {
  event.preventDefault();
  const headers = {};
  for (const line of String(new FormData(event.target).get('headers')).split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  try {
    const { context } = await api('context/extract', { headers });
    $('#extract-result').textContent = JSON.stringify(context, null, 2);
  } catch (error) {
    $('#extract-result').textContent = error.message;
  }
}

async function main() {
  const keyInput = $('#api-key');
  keyInput.value = sessionStorage.getItem(KEY_STORAGE) ?? '';
  keyInput.addEventListener('change', () => sessionStorage.setItem(KEY_STORAGE, keyInput.value));
  $('#config-form').addEventListener('submit', saveConfig);
  $('#new-report').addEventListener('click', newReport);
  $('#inject-form').addEventListener('submit', inject);
  $('#extract-form').addEventListener('submit', extract);
  try {
    await setUpCharts();
    await loadConfig();
    await listReports();
  } catch (error) {
    setStatus(error.message, false);
  }
  await pollTiles();
  setInterval(pollTiles, TILE_POLL_MS);
  await drawCharts();
  setInterval(drawCharts, Math.max(2, intervalSec) * 1000);
}

void main();
