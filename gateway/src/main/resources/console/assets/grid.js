// A virtualised result grid: only the rows in view (plus a margin) are in the DOM, so 100K+ rows scroll
// without freezing the page. Fixed row height; columns sized once from their names, types and a sample.
import { h } from './dom.js';

const ROW = 28;
const OVERSCAN = 8;

function cellText(v) {
  if (v === null || v === undefined) return 'NULL';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function widths(columns, rows) {
  return columns.map((c, i) => {
    let w = Math.max(c.name.length, (c.type || '').length + 2);
    for (let r = 0; r < Math.min(rows.length, 200); r++) w = Math.max(w, cellText(rows[r][i]).length);
    return Math.min(Math.max(w * 8 + 24, 80), 360);
  });
}

/** columns: [{name, type}], rows: [[...]]. Returns {el, scrollToRow}. */
export function grid(columns, rows, label) {
  const w = widths(columns, rows);
  const total = w.reduce((a, b) => a + b, 0);
  const numeric = columns.map((c) => /INT|DOUBLE|DECIMAL|FLOAT|REAL|NUMERIC|HUGEINT/i.test(c.type || ''));
  const head = h('div', { class: 'grid-row grid-head', role: 'row', 'aria-rowindex': 1 },
    columns.map((c, i) => {
      const cell = h('div', { class: 'grid-cell', role: 'columnheader' },
        h('span', { class: 'col-name' }, c.name), h('span', { class: 'col-type' }, c.type || ''));
      cell.style.width = w[i] + 'px';
      return cell;
    }));
  head.style.width = total + 'px';
  const body = h('div', { class: 'grid-body', role: 'rowgroup' });
  body.style.height = rows.length * ROW + 'px';
  body.style.width = total + 'px';
  const el = h('div', {
    class: 'grid', role: 'grid', tabindex: 0, 'aria-label': label || 'Result rows',
    'aria-rowcount': rows.length + 1, 'aria-colcount': columns.length,
  }, h('div', { role: 'rowgroup', class: 'grid-headgroup' }, head), body);
  let active = 0;
  let drawn = '';

  function draw() {
    const first = Math.max(0, Math.floor(el.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((el.scrollTop + el.clientHeight) / ROW) + OVERSCAN);
    const key = `${first}:${last}:${active}`;
    if (key === drawn) return;
    drawn = key;
    const frag = document.createDocumentFragment();
    for (let r = first; r < last; r++) {
      const row = h('div', {
        class: 'grid-row' + (r === active ? ' active' : ''), role: 'row', 'aria-rowindex': r + 2,
        'aria-selected': r === active ? 'true' : 'false',
      });
      row.style.transform = `translateY(${r * ROW}px)`;
      row.style.width = total + 'px';
      for (let c = 0; c < columns.length; c++) {
        const v = rows[r][c];
        const cell = h('div', { class: 'grid-cell' + (numeric[c] ? ' num' : '') + (v === null ? ' null' : ''), role: 'gridcell' }, cellText(v));
        cell.style.width = w[c] + 'px';
        row.append(cell);
      }
      frag.append(row);
    }
    body.replaceChildren(frag);
  }

  function scrollToRow(r) {
    active = Math.max(0, Math.min(rows.length - 1, r));
    const top = active * ROW;
    const viewTop = el.scrollTop;
    const viewBottom = viewTop + el.clientHeight - ROW * 2;
    if (top < viewTop) el.scrollTop = top;
    else if (top > viewBottom) el.scrollTop = top - el.clientHeight + ROW * 2;
    draw();
  }

  let frame = 0;
  el.addEventListener('scroll', () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); });
  });
  el.addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.floor(el.clientHeight / ROW) - 2);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) scrollToRow(active + moves[e.key]);
    else if (e.key === 'Home') scrollToRow(0);
    else if (e.key === 'End') scrollToRow(rows.length - 1);
    else return;
    e.preventDefault();
  });
  // first draw once the grid is in the document and has a height
  requestAnimationFrame(draw);
  new ResizeObserver(() => { drawn = ''; draw(); }).observe(el);
  return { el, scrollToRow };
}
