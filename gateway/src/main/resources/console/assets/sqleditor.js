// A SQL editor: a plain <textarea> (so typing, selection, undo and screen readers work as usual) over a
// highlighted copy of its text. The copy is aria-hidden and redrawn on input.
import { h } from './dom.js';

const KEYWORDS = new Set(('select from where group by order having limit offset join left right inner outer full cross on using as and or '
  + 'not in is null like ilike between case when then else end distinct union all except intersect with asc desc nulls first last '
  + 'count sum avg min max cast true false exists over partition window filter qualify explain values any some interval date timestamp').split(' '));
const TOKEN = /(--[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)/gi;

export function highlight(text, into) {
  into.replaceChildren();
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > at) into.append(text.slice(at, m.index));
    let cls = null;
    if (m[1]) cls = 'tok-comment';
    else if (m[2]) cls = 'tok-string';
    else if (m[3]) cls = 'tok-ident';
    else if (m[4]) cls = 'tok-number';
    else if (m[5] && KEYWORDS.has(m[5].toLowerCase())) cls = 'tok-keyword';
    into.append(cls ? h('span', { class: cls }, m[0]) : m[0]);
    at = m.index + m[0].length;
  }
  // a trailing newline needs a character after it to take up a line in the <pre>
  into.append(text.slice(at) + '\n');
}

export function editor(initial, onRun) {
  const area = h('textarea', {
    id: 'sql-input', class: 'sql-text', spellcheck: 'false', autocapitalize: 'off', wrap: 'off',
    'aria-describedby': 'sql-help',
  });
  area.value = initial;
  const shadow = h('pre', { class: 'sql-shadow', 'aria-hidden': 'true' });
  const wrap = h('div', { class: 'sql-editor' }, shadow, area);
  const redraw = () => highlight(area.value, shadow);
  area.addEventListener('input', redraw);
  area.addEventListener('scroll', () => { shadow.scrollTop = area.scrollTop; shadow.scrollLeft = area.scrollLeft; });
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onRun();
    }
  });
  redraw();
  return {
    el: wrap,
    area,
    get value() { return area.value; },
    set value(v) { area.value = v; redraw(); },
    /** Selects line n (1-based): where the database says the error is. */
    selectLine(n) {
      const lines = area.value.split('\n');
      if (n < 1 || n > lines.length) return;
      const start = lines.slice(0, n - 1).reduce((a, l) => a + l.length + 1, 0);
      area.focus();
      area.setSelectionRange(start, start + lines[n - 1].length);
    },
  };
}
