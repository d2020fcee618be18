// Objects: storaged's keys by prefix, a page at a time; upload with progress, download, delete.
// Prefixes the fleet's services own are shown read-only here (changing them bypasses their bookkeeping).
import { json, call, upload, download, enc, keyPath } from './api.js';
import { h, field, errorBox, status, progress, fmtBytes, dropZone } from './dom.js';

export const RESERVED = ['_catalog/', '_vectors/', '_ingest/', 'datasets/'];
const PAGE = 100;

const reserved = (key) => RESERVED.some((p) => key.startsWith(p));

export function show(main) {
  main.append(h('h1', {}, 'Objects'));
  const prefix = h('input', { id: 'obj-prefix', placeholder: 'docs/', spellcheck: 'false' });
  const listBox = h('div', { id: 'obj-list' });
  const pager = h('div', { class: 'row', id: 'obj-pager' });
  const out = h('div', { id: 'obj-upload-result', 'aria-live': 'polite' });
  const key = h('input', { id: 'obj-key', placeholder: 'key (default: prefix + file name)', spellcheck: 'false' });
  const { zone, input } = dropZone('Drop a file here, or press Enter to choose one', (file) => put(file));
  input.id = 'obj-file';
  input.setAttribute('aria-label', 'File to upload');
  let cursors = [null]; // cursor of each page seen; the last is the current page's

  main.append(
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); cursors = [null]; list(); } },
      field('Prefix', prefix), h('button', { type: 'submit', id: 'obj-browse' }, 'Browse')),
    pager, listBox,
    h('section', { class: 'panel', 'aria-labelledby': 'up-h' }, h('h2', { id: 'up-h' }, 'Upload'),
      field('Key', key, `read-only prefixes: ${RESERVED.join(' ')}`), zone, out));

  async function list() {
    const cursor = cursors[cursors.length - 1];
    listBox.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    try {
      const r = await json(`/v1/storage/objects?prefix=${enc(prefix.value)}&limit=${PAGE}${cursor ? '&cursor=' + enc(cursor) : ''}`);
      listBox.replaceChildren(r.objects.length === 0 ? h('p', { class: 'muted' }, 'No objects under this prefix.') : objectTable(r.objects));
      pager.replaceChildren(
        h('button', { type: 'button', id: 'obj-prev', disabled: cursors.length < 2, onclick: () => { cursors.pop(); list(); } }, 'Previous page'),
        h('span', { class: 'muted' }, `page ${cursors.length}`),
        h('button', { type: 'button', id: 'obj-next', disabled: !r.next_cursor, onclick: () => { cursors.push(r.next_cursor); list(); } }, 'Next page'));
    } catch (e) {
      listBox.replaceChildren(errorBox(e));
    }
  }

  function objectTable(objects) {
    const rows = objects.map((o) => {
      const actions = h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'obj-download', onclick: () => get(o.key) }, 'Download'));
      if (reserved(o.key)) {
        actions.append(h('span', { class: 'muted' }, ' read-only'));
      } else {
        const del = h('button', { type: 'button', class: 'obj-delete danger', 'aria-label': `Delete ${o.key}` }, 'Delete');
        // two steps, in the page: a first click arms, a second deletes (no modal dialog to trap focus)
        del.addEventListener('click', async () => {
          if (!del.classList.contains('armed')) {
            del.classList.add('armed');
            del.textContent = 'Confirm delete';
            return;
          }
          try {
            await call(`/v1/storage/objects/${keyPath(o.key)}`, { method: 'DELETE' });
            status(`Deleted ${o.key}`);
            list();
          } catch (e) {
            listBox.prepend(errorBox(e));
          }
        });
        actions.append(' ', del);
      }
      return h('tr', { dataset: { key: o.key } }, h('td', {}, h('code', {}, o.key)), h('td', { class: 'num' }, fmtBytes(o.size)),
        h('td', {}, o.last_modified || ''), actions);
    });
    return h('table', { class: 'table', id: 'obj-table' },
      h('thead', {}, h('tr', {}, ['Key', 'Size', 'Modified', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows));
  }

  async function get(k) {
    try {
      const bytes = await download(await call(`/v1/storage/objects/${keyPath(k)}`), k.split('/').pop());
      status(`Downloaded ${k} (${bytes.toLocaleString()} bytes)`);
    } catch (e) {
      listBox.prepend(errorBox(e));
    }
  }

  async function put(file) {
    const k = key.value.trim() || prefix.value + file.name;
    out.replaceChildren();
    if (reserved(k)) {
      out.append(errorBox({ message: `${k} is under a prefix the fleet's services own; upload elsewhere` }));
      return;
    }
    const bar = progress('Upload progress');
    out.append(h('p', {}, `Uploading ${k}…`), bar.el);
    try {
      const r = await upload('PUT', `/v1/storage/objects/${keyPath(k)}`, file, bar.set);
      bar.set(file.size, file.size);
      out.replaceChildren(h('p', { class: 'ok', id: 'obj-uploaded' }, `Uploaded ${k} (${fmtBytes(file.size)}${r && r.etag ? ', etag ' + r.etag : ''})`));
      input.value = '';
      key.value = '';
      list();
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  }

  list();
}
