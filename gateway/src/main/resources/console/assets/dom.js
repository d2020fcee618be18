// Tiny DOM helpers: elements are built with properties and text nodes, never from HTML strings,
// so nothing the API returns is ever parsed as markup.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let ids = 0;
export const uid = (p) => `${p}-${++ids}`;

/** A labelled form field: [label, control]. */
export function field(label, control, hint) {
  if (!control.id) control.id = uid('f');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control,
    hint ? h('small', { class: 'muted' }, hint) : null);
}

export function status(msg) {
  document.getElementById('status').textContent = msg;
}

/** Shows an API error as the API sent it: message, status, code, and the full JSON body. */
export function errorBox(err) {
  const box = h('div', { class: 'error', role: 'alert' },
    h('strong', {}, err.status ? `${err.status}${err.code ? ' ' + err.code : ''}: ` : 'Error: '),
    h('span', { class: 'error-message' }, err.message));
  if (err.body) box.append(h('pre', { class: 'error-body' }, JSON.stringify(err.body, null, 2)));
  return box;
}

export function table(columns, rows, caption) {
  return h('table', { class: 'table' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((v) => h('td', {}, v))))));
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return '';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = Number(n);
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${u[i]}`;
}

export function progress(label) {
  const bar = h('progress', { max: 100, value: 0, 'aria-label': label });
  const text = h('span', { class: 'muted' });
  const el = h('div', { class: 'progress' }, bar, text);
  return {
    el,
    set(loaded, total) {
      bar.value = total ? Math.round((loaded / total) * 100) : 0;
      text.textContent = `${fmtBytes(loaded)} of ${fmtBytes(total)}`;
    },
  };
}

/** Drag-and-drop target that also works as a keyboard-reachable file picker. */
export function dropZone(label, onFile) {
  const input = h('input', { type: 'file', class: 'drop-input', onchange: () => input.files[0] && onFile(input.files[0]) });
  const zone = h('label', { class: 'drop' }, input, h('span', {}, label));
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files[0]) onFile(e.dataTransfer.files[0]);
  });
  return { zone, input };
}
