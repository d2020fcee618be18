// A bar or line chart of one numeric column against another column, drawn as SVG (no library).
const NS = 'http://www.w3.org/2000/svg';
const MAX_POINTS = 500;

function el(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function chart(kind, labels, values, title) {
  const n = Math.min(labels.length, MAX_POINTS);
  const W = 720;
  const H = 300;
  const pad = { l: 64, r: 16, t: 16, b: 56 };
  const vs = values.slice(0, n).map(Number);
  const max = Math.max(0, ...vs.filter(Number.isFinite));
  const min = Math.min(0, ...vs.filter(Number.isFinite));
  const span = max - min || 1;
  const x = (i) => pad.l + ((W - pad.l - pad.r) * (i + 0.5)) / n;
  const y = (v) => pad.t + ((H - pad.t - pad.b) * (max - v)) / span;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart' });
  svg.append(el('title', {}, title));
  svg.append(el('line', { x1: pad.l, y1: y(0), x2: W - pad.r, y2: y(0), class: 'axis' }));
  for (const t of [min, (min + max) / 2, max]) {
    svg.append(el('text', { x: pad.l - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'tick' }, Number(t.toPrecision(4)).toLocaleString()));
  }
  const bw = Math.max(1, ((W - pad.l - pad.r) / n) * 0.7);
  const points = [];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(vs[i])) continue;
    if (kind === 'bar') {
      const top = Math.min(y(vs[i]), y(0));
      const bar = el('rect', { x: x(i) - bw / 2, y: top, width: bw, height: Math.abs(y(vs[i]) - y(0)), class: 'bar' });
      bar.append(el('title', {}, `${labels[i]}: ${vs[i]}`));
      svg.append(bar);
    } else {
      points.push(`${x(i)},${y(vs[i])}`);
    }
    if (n <= 24) {
      svg.append(el('text', { x: x(i), y: H - pad.b + 16, 'text-anchor': 'middle', class: 'tick' }, String(labels[i]).slice(0, 12)));
    }
  }
  if (kind === 'line') svg.append(el('polyline', { points: points.join(' '), class: 'line' }));
  return svg;
}
