// SQL: editor with highlighting, Ctrl/Cmd-Enter, history; a virtualised grid of the JSON answer; CSV and Arrow
// downloads of the whole result (asked again from queryd in that format, streamed to a file); a chart.
import { call, download, ApiError } from './api.js';
import { h, field, errorBox, status } from './dom.js';
import { grid } from './grid.js';
import { editor } from './sqleditor.js';
import { chart } from './chart.js';

const HISTORY_KEY = 'lakehouse.sql.history';
const HISTORY_MAX = 30;
/** queryd's default cap on rows (queryd.max_row_limit); the grid's default is lower. */
const EXPORT_LIMIT = 1000000;

function loadHistory() {
  try { return JSON.parse(localStorage.getItem(HISTORY_KEY)) || []; } catch (e) { return []; }
}

function remember(sql) {
  const list = [sql, ...loadHistory().filter((s) => s !== sql)].slice(0, HISTORY_MAX);
  localStorage.setItem(HISTORY_KEY, JSON.stringify(list));
}

/**
 * The editor line a DuckDB error points at. DuckDB says "LINE n: <excerpt>" of the statement it ran, which queryd
 * may have wrapped (a LIMIT around it shifts the lines), so the excerpt decides and n only breaks ties.
 */
export function errorLine(message, lines) {
  const m = /LINE (\d+): ?(.*)/.exec(message || '');
  if (!m) return null;
  const n = Number(m[1]);
  const excerpt = m[2].replace(/^\.\.\.|\.\.\.$/g, '').trim();
  if (!excerpt) return n <= lines.length ? n : null;
  const candidates = lines.map((l, i) => (l.includes(excerpt) ? i + 1 : 0)).filter(Boolean);
  if (candidates.length === 0) return n <= lines.length ? n : null;
  return candidates.reduce((best, c) => (Math.abs(c - n) < Math.abs(best - n) ? c : best));
}

export function show(main) {
  main.append(h('h1', {}, 'SQL'));
  const hist = loadHistory();
  const ed = editor(hist[0] || 'SELECT 42 AS answer', run);
  const limit = h('input', { id: 'sql-limit', type: 'number', min: 1, max: EXPORT_LIMIT, value: 10000 });
  const runBtn = h('button', { id: 'sql-run', type: 'button', class: 'primary', onclick: run }, 'Run');
  const histSel = h('select', { id: 'sql-history' }, h('option', { value: '' }, `${hist.length} earlier queries`),
    hist.map((s, i) => h('option', { value: String(i) }, s.replace(/\s+/g, ' ').slice(0, 80))));
  histSel.addEventListener('change', () => {
    if (histSel.value !== '') ed.value = loadHistory()[Number(histSel.value)] || ed.value;
    ed.area.focus();
  });
  const meta = h('div', { id: 'sql-meta', class: 'meta', 'aria-live': 'polite' });
  const out = h('div', { id: 'sql-result' });
  const tools = h('div', { class: 'row tools', id: 'sql-tools', hidden: true });
  const chartBox = h('div', { id: 'sql-chart' });
  main.append(
    h('section', { 'aria-labelledby': 'sql-h', class: 'panel' },
      h('h2', { id: 'sql-h', class: 'sr-only' }, 'Query'),
      h('label', { for: 'sql-input' }, 'Query'), ed.el,
      h('p', { id: 'sql-help', class: 'muted' }, 'Ctrl+Enter (⌘+Enter) runs the query. Each dataset is a table.'),
      h('div', { class: 'row' }, runBtn, field('Grid row limit', limit), field('History', histSel))),
    meta, tools, out, chartBox);

  let last = null;

  async function run() {
    const sql = ed.value.trim();
    if (!sql) return;
    runBtn.disabled = true;
    meta.textContent = 'Running…';
    out.replaceChildren();
    tools.hidden = true;
    chartBox.replaceChildren();
    const t0 = performance.now();
    try {
      const r = await (await call(`/v1/sql?limit=${Number(limit.value) || 10000}`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ sql }),
      })).json();
      const wall = Math.round(performance.now() - t0);
      remember(sql);
      last = { sql, r };
      meta.replaceChildren(
        h('span', { id: 'sql-rowcount' }, `${r.row_count.toLocaleString()} rows`),
        r.truncated ? h('span', { class: 'warn' }, ` (truncated at the row limit: the downloads have the full result)`) : '',
        ` · ${r.elapsed_ms} ms in queryd, ${wall} ms in all`,
        r.versions ? ` · versions ${Object.entries(r.versions).map(([k, v]) => `${k}=${v}`).join(', ')}` : '');
      out.replaceChildren(grid(r.columns, r.rows, 'Query result').el);
      showTools(r);
      status(`Query returned ${r.row_count} rows`);
    } catch (e) {
      meta.textContent = `Failed after ${Math.round(performance.now() - t0)} ms`;
      out.replaceChildren(errorBox(e));
      const line = errorLine(e.message, sql.split('\n'));
      if (line) {
        out.append(h('p', { class: 'muted', id: 'sql-error-line' }, `The error is on line ${line} (selected in the editor).`));
        ed.selectLine(line);
      }
    } finally {
      runBtn.disabled = false;
    }
  }

  function showTools(r) {
    const csv = h('button', { id: 'sql-csv', type: 'button', onclick: () => exportAs('csv', 'text/csv', 'result.csv') }, 'Download CSV');
    const arrow = h('button', { id: 'sql-arrow', type: 'button',
      onclick: () => exportAs('arrow', 'application/vnd.apache.arrow.stream', 'result.arrows') }, 'Download Arrow');
    const names = r.columns.map((c, i) => h('option', { value: String(i) }, `${c.name} (${c.type})`));
    const xSel = h('select', { id: 'chart-x' }, names);
    const ySel = h('select', { id: 'chart-y' }, names.map((o) => o.cloneNode(true)));
    const firstNum = r.columns.findIndex((c) => /INT|DOUBLE|DECIMAL|FLOAT/i.test(c.type));
    if (firstNum >= 0) ySel.value = String(firstNum);
    const kind = h('select', { id: 'chart-kind' }, h('option', { value: 'bar' }, 'bar'), h('option', { value: 'line' }, 'line'));
    const draw = h('button', { id: 'chart-draw', type: 'button', onclick: () => {
      const xi = Number(xSel.value);
      const yi = Number(ySel.value);
      chartBox.replaceChildren(chart(kind.value, r.rows.map((row) => row[xi]), r.rows.map((row) => row[yi]),
        `${r.columns[yi].name} by ${r.columns[xi].name}`));
    } }, 'Chart');
    tools.replaceChildren(csv, arrow, field('Chart x', xSel), field('Chart y', ySel), field('Chart type', kind), draw);
    tools.hidden = false;
  }

  async function exportAs(format, accept, name) {
    if (!last) return;
    status(`Downloading ${format}…`);
    const ask = (q) => call(`/v1/sql?format=${format}${q}`, {
      method: 'POST', headers: { 'Content-Type': 'text/plain', Accept: accept }, body: last.sql,
    });
    try {
      // queryd streams a CSV or Arrow export whole when no limit is given: the file is the full result
      const resp = await ask('');
      const bytes = await download(resp, name);
      status(`Saved ${name} (${bytes.toLocaleString()} bytes)`);
      meta.append(h('span', { class: 'muted', id: `sql-saved-${format}` }, ` · saved ${name}`));
    } catch (e) {
      out.prepend(errorBox(e));
    }
  }
}
