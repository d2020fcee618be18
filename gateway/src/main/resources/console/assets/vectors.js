// Vectors: vectord's indexes (count, status) and a search by text (embedded by embedd) or by a vector.
import { json, postJson, enc } from './api.js';
import { h, field, errorBox, table, status } from './dom.js';

export function show(main) {
  main.append(h('h1', {}, 'Vectors'));
  const list = h('div', { id: 'index-list' }, 'Loading…');
  const index = h('select', { id: 'search-index', required: true });
  const query = h('textarea', { id: 'search-query', rows: 3, placeholder: 'text to search for, or a vector such as [0.1, 0.2, …]' });
  const k = h('input', { id: 'search-k', type: 'number', min: 1, max: 1000, value: 10 });
  const ef = h('input', { id: 'search-ef', type: 'number', min: 1, max: 10000, placeholder: 'index default' });
  const filter = h('input', { id: 'search-filter', placeholder: 'kind=help', spellcheck: 'false' });
  const hits = h('div', { id: 'search-hits', 'aria-live': 'polite' });
  const form = h('form', { id: 'search-form', class: 'panel', onsubmit: (e) => { e.preventDefault(); search(); } },
    h('h2', {}, 'Search'),
    h('div', { class: 'row' }, field('Index', index), field('k', k), field('ef', ef),
      field('Metadata filter', filter, 'key=value; applied to the k hits returned')),
    field('Text or vector', query),
    h('button', { type: 'submit', class: 'primary', id: 'search-run' }, 'Search'));
  main.append(h('section', { 'aria-labelledby': 'idx-h' }, h('h2', { id: 'idx-h' }, 'Indexes'), list), form, hits);

  (async () => {
    try {
      const { indexes } = await json('/v1/vectors/index');
      list.replaceChildren(indexes.length === 0 ? h('p', { class: 'muted' }, 'No indexes yet (POST /v1/vectors/index).')
        : table(['Name', 'Status', 'Count', 'Dim', 'Distance', 'Last saved'], indexes.map((i) => [
            i.name, i.status + (i.error ? `: ${i.error}` : ''), Number(i.count).toLocaleString(), String(i.dim), i.distance,
            i.last_saved_at || (i.dirty ? 'unsaved changes' : '')])));
      index.replaceChildren(...indexes.map((i) => h('option', { value: i.name }, `${i.name} (${i.dim}-d)`)));
    } catch (e) {
      list.replaceChildren(errorBox(e));
    }
  })();

  async function search() {
    const q = query.value.trim();
    if (!index.value || !q) return;
    const body = { k: Number(k.value) || 10 };
    if (ef.value) body.ef = Number(ef.value);
    if (q.startsWith('[')) {
      try { body.vector = JSON.parse(q); } catch (e) {
        hits.replaceChildren(errorBox({ message: 'the vector is not a JSON array of numbers' }));
        return;
      }
    } else {
      body.text = q;
    }
    hits.replaceChildren(h('p', { class: 'muted' }, 'Searching…'));
    try {
      const r = await postJson(`/v1/vectors/index/${enc(index.value)}/search`, body);
      const [fk, ...fv] = filter.value.split('=');
      const want = fv.join('=');
      const shown = filter.value.includes('=')
        ? r.hits.filter((x) => x.metadata && String(x.metadata[fk.trim()]) === want.trim()) : r.hits;
      hits.replaceChildren(
        h('p', { class: 'muted' }, `${shown.length} of ${r.hits.length} hits (k=${r.k}, ef=${r.ef})`),
        table(['#', 'Id', 'Score', 'Distance', 'Metadata'], shown.map((x, i) => [
          String(i + 1), x.id, x.score.toFixed(4), x.distance.toFixed(4),
          h('code', {}, x.metadata ? JSON.stringify(x.metadata) : '')]), 'Hits, closest first'));
      hits.querySelector('table').id = 'hits-table';
      status(`${shown.length} hits`);
    } catch (e) {
      hits.replaceChildren(errorBox(e));
    }
  }
}
