// Datasets: the catalog's list, one dataset's schema / version history / preview, and CSV ingest.
import { json, call, upload, enc, ApiError } from './api.js';
import { h, field, errorBox, table, status, progress, dropZone } from './dom.js';
import { grid } from './grid.js';

const PREVIEW_ROWS = 200;
/** Without a versions listing (older catalogd), at most this many versions are read one by one. */
const MAX_VERSIONS_READ = 50;

export function show(main, rest, nav) {
  if (rest) return detail(main, rest, nav);
  main.append(h('h1', {}, 'Datasets'));
  const list = h('section', { 'aria-labelledby': 'ds-list-h' }, h('h2', { id: 'ds-list-h' }, 'Catalog'));
  main.append(list, ingestPanel(() => load(list, nav)));
  load(list, nav);
}

async function load(section, nav) {
  const box = h('div', { class: 'loading' }, 'Loading…');
  section.querySelector('.ds-body')?.remove();
  box.classList.add('ds-body');
  section.append(box);
  try {
    const { datasets } = await json('/v1/catalog/datasets');
    const body = datasets.length === 0
      ? h('p', { class: 'muted ds-body' }, 'No datasets yet: ingest a CSV below.')
      : table(['Name', 'Rows', 'Versions', 'Updated'], datasets.map((d) => [
          h('a', { href: `/ui/datasets/${enc(d.name)}` }, d.name),
          Number(d.rows).toLocaleString(), String(d.latest_version), d.updated_at || '']), `${datasets.length} datasets`);
    body.classList.add('ds-body');
    body.id = 'datasets-table';
    box.replaceWith(body);
  } catch (e) {
    box.replaceWith(errorBox(e));
  }
}

function ingestPanel(onDone) {
  const name = h('input', { id: 'ingest-name', required: true, pattern: '[a-z][a-z0-9_]{0,62}', placeholder: 'sales', spellcheck: 'false' });
  const mode = h('select', { id: 'ingest-mode' }, h('option', { value: 'append' }, 'append'), h('option', { value: 'replace' }, 'replace'));
  const out = h('div', { id: 'ingest-result', 'aria-live': 'polite' });
  const { zone, input } = dropZone('Drop a CSV file here, or press Enter to choose one', (file) => send(file));
  input.id = 'ingest-file';
  input.accept = '.csv,text/csv';
  input.setAttribute('aria-label', 'CSV file to ingest');

  async function send(file) {
    out.replaceChildren();
    if (!name.value && /^[a-z][a-z0-9_]*\.csv$/i.test(file.name)) name.value = file.name.replace(/\.csv$/i, '').toLowerCase();
    if (!name.reportValidity()) return;
    const bar = progress('Upload progress');
    out.append(h('p', {}, `Uploading ${file.name}…`), bar.el);
    try {
      const m = await upload('POST', `/v1/ingest/${enc(name.value)}?mode=${mode.value}`, file, bar.set);
      bar.set(file.size, file.size);
      out.replaceChildren(
        h('p', { class: 'ok' }, `${m.dataset} version ${m.version}: ${Number(m.rows).toLocaleString()} rows in ${m.files.length} file(s).`),
        table(['Column', 'Type'], m.schema.map((c) => [c.name, c.type]), 'Sniffed schema'),
        h('p', {}, h('a', { href: `/ui/datasets/${enc(m.dataset)}` }, `Open ${m.dataset}`)));
      status(`Ingested ${m.dataset} version ${m.version}`);
      onDone();
    } catch (e) {
      out.replaceChildren(errorBox(e));
      if (e instanceof ApiError && e.body && e.body.expected && e.body.got) out.append(driftTable(e.body));
    }
  }

  return h('section', { 'aria-labelledby': 'ingest-h', class: 'panel' },
    h('h2', { id: 'ingest-h' }, 'Ingest a CSV'),
    h('div', { class: 'row' }, field('Dataset name', name, 'lower case, digits, _'), field('Mode', mode)),
    zone, out);
}

function driftTable(body) {
  const n = Math.max(body.expected.length, body.got.length);
  const col = (c) => (c ? `${c.name} ${c.type}` : '—');
  const rows = [];
  for (let i = 0; i < n; i++) rows.push([String(i + 1), col(body.expected[i]), col(body.got[i])]);
  return table(['#', 'Dataset has', 'CSV has'], rows, 'Schema drift');
}

async function detail(main, name, nav) {
  main.append(h('p', {}, h('a', { href: '/ui/datasets' }, '← All datasets')), h('h1', {}, name));
  const holder = h('div', {}, 'Loading…');
  main.append(holder);
  let latest;
  try {
    latest = await json(`/v1/catalog/datasets/${enc(name)}`);
  } catch (e) {
    holder.replaceWith(errorBox(e));
    return;
  }
  const versions = await history(name, latest);
  const pick = h('select', { id: 'preview-version' },
    versions.map((v) => h('option', { value: v.version, selected: v.version === latest.version }, `version ${v.version}`)));
  const preview = h('div', { id: 'preview' });
  const refresh = () => showPreview(preview, name, Number(pick.value));
  pick.addEventListener('change', refresh);
  holder.replaceWith(
    h('section', { 'aria-labelledby': 'schema-h' }, h('h2', { id: 'schema-h' }, 'Schema'),
      table(['Column', 'Type'], latest.schema.map((c) => [c.name, c.type]))),
    h('section', { 'aria-labelledby': 'hist-h' }, h('h2', { id: 'hist-h' }, 'Version history'),
      table(['Version', 'Rows', 'Files', 'Created'], versions.slice().reverse().map((v) => [
        String(v.version), Number(v.rows).toLocaleString(), String(v.files ? v.files.length : v.file_count ?? ''), v.created_at || '']))),
    h('section', { 'aria-labelledby': 'prev-h' }, h('h2', { id: 'prev-h' }, 'Preview'),
      field('Version', pick), preview));
  refresh();
}

/** Every version's manifest: the versions listing when catalogd has one, else versions read one by one. */
async function history(name, latest) {
  try {
    const r = await json(`/v1/catalog/datasets/${enc(name)}/versions`);
    const list = Array.isArray(r) ? r : r.versions;
    if (Array.isArray(list)) return list.slice().sort((a, b) => a.version - b.version);
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 405)) throw e;
  }
  const from = Math.max(1, latest.version - MAX_VERSIONS_READ + 1);
  const reads = [];
  for (let v = from; v < latest.version; v++) {
    reads.push(json(`/v1/catalog/datasets/${enc(name)}/versions/${v}`).catch(() => null));
  }
  return (await Promise.all(reads)).filter(Boolean).concat([latest]);
}

async function showPreview(box, name, version) {
  box.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    const sql = `SELECT * FROM "${name}" LIMIT ${PREVIEW_ROWS}`;
    const r = await (await call(`/v1/sql?version=${version}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sql }),
    })).json();
    box.replaceChildren(h('p', { class: 'muted' }, `First ${r.row_count} rows at version ${version}`),
      grid(r.columns, r.rows, `Preview of ${name} version ${version}`).el);
  } catch (e) {
    box.replaceChildren(errorBox(e));
  }
}
