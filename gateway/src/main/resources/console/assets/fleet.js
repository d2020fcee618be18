// Fleet: /v1/health of every backend, the S3 server as storaged sees it, and live figures from a Prometheus
// /metrics endpoint when the gateway has one (the panel stays hidden while it answers 404).
import { json, call, ApiError } from './api.js';
import { h, errorBox, table, fmtBytes } from './dom.js';

const REFRESH_MS = 5000;
const METRICS_PATHS = ['/metrics', '/v1/metrics'];
let timer = null;

export function leave() {
  clearInterval(timer);
  timer = null;
}

export function show(main) {
  main.append(h('h1', {}, 'Fleet'));
  const health = h('div', { id: 'fleet-health' }, 'Loading…');
  const s3 = h('div', { id: 'fleet-s3' }, 'Loading…');
  const metrics = h('section', { id: 'fleet-metrics', 'aria-labelledby': 'met-h', hidden: true },
    h('h2', { id: 'met-h' }, 'Live figures'), h('div', { class: 'figures' }));
  main.append(
    h('section', { 'aria-labelledby': 'svc-h' }, h('h2', { id: 'svc-h' }, 'Services'), health),
    h('section', { 'aria-labelledby': 's3-h' }, h('h2', { id: 's3-h' }, 'S3 server'), s3),
    metrics,
    h('p', { class: 'muted' }, `Refreshed every ${REFRESH_MS / 1000} s while this page is open.`));
  let previous = null;
  let metricsPath = undefined; // undefined: not probed yet; null: none

  async function refresh() {
    try {
      showHealth(await json('/v1/health'));
    } catch (e) {
      // 503 is the degraded answer: it still names every service
      if (e instanceof ApiError && e.body && e.body.services) showHealth(e.body); else health.replaceChildren(errorBox(e));
    }
    const t0 = performance.now();
    try {
      await json('/v1/storage/objects?limit=1');
      s3.replaceChildren(h('p', { class: 'ok' }, `reachable: storaged listed the bucket in ${Math.round(performance.now() - t0)} ms`));
    } catch (e) {
      s3.replaceChildren(errorBox(e));
    }
    if (metricsPath !== null) await showMetrics();
  }

  function showHealth(body) {
    const rows = Object.entries(body.services).map(([id, s]) => [
      id, h('span', { class: s.status === 'ok' ? 'ok' : 'bad' }, s.status), s.version || '',
      s.heap ? `${fmtBytes(s.heap.used)} of ${fmtBytes(s.heap.max)}` : '', s.threads !== undefined ? String(s.threads) : '',
      s.error || '']);
    health.replaceChildren(h('p', {}, 'Fleet: ', h('strong', { class: body.status === 'ok' ? 'ok' : 'bad', id: 'fleet-status' }, body.status)),
      table(['Service', 'Status', 'Version', 'Heap', 'Threads', 'Error'], rows));
  }

  async function showMetrics() {
    const paths = metricsPath ? [metricsPath] : METRICS_PATHS;
    for (const p of paths) {
      try {
        const text = await (await call(p, { headers: { Accept: 'text/plain' } })).text();
        metricsPath = p;
        const now = { at: performance.now(), m: parse(text) };
        metrics.hidden = false;
        metrics.querySelector('.figures').replaceChildren(figures(now, previous));
        previous = now;
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 404) return;
      }
    }
    metricsPath = null;
  }

  refresh();
  timer = setInterval(refresh, REFRESH_MS);
}

/** Prometheus text format → [{name, labels, value}] (comments and malformed lines skipped). */
export function parse(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([-+0-9.eE]+|NaN|[+-]Inf)/.exec(line);
    if (m) out.push({ name: m[1], labels: m[2] || '', value: Number(m[3]) });
  }
  return out;
}

const sum = (ms, re) => ms.filter((x) => re.test(x.name)).reduce((a, x) => a + (Number.isFinite(x.value) ? x.value : 0), 0);

function figures(now, prev) {
  const requests = (ms) => sum(ms, /(_requests_total|_requests_seconds_count|http_server_requests.*_count)$/);
  const rate = prev ? (requests(now.m) - requests(prev.m)) / ((now.at - prev.at) / 1000) : null;
  const queue = sum(now.m.filter((x) => !x.name.endsWith('_total')), /queue|in_flight|inflight/);
  const hits = sum(now.m, /cache.*hit/);
  const misses = sum(now.m, /cache.*miss/);
  return table(['Figure', 'Value'], [
    ['Requests/s', rate === null ? 'measuring…' : rate.toFixed(1)],
    ['Queue depth / in flight', String(queue)],
    ['Cache hit rate', hits + misses > 0 ? `${((100 * hits) / (hits + misses)).toFixed(1)}%` : 'n/a'],
  ]);
}
