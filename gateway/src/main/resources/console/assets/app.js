// Router and login. Pages are client-side routes under /ui/<page>; the gateway answers index.html for each.
import { token, setToken } from './api.js';
import { status } from './dom.js';
import * as datasets from './datasets.js';
import * as sql from './sql.js';
import * as vectors from './vectors.js';
import * as objects from './objects.js';
import * as fleet from './fleet.js';

const PAGES = { datasets, sql, vectors, objects, fleet };
let current = null;

function pageOf(path) {
  const m = /^\/ui\/([a-z]+)(?:\/(.*))?$/.exec(path);
  return m && PAGES[m[1]] ? { name: m[1], rest: m[2] ? decodeURIComponent(m[2]) : '' } : { name: 'datasets', rest: '' };
}

export function go(path, replace) {
  if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
  render();
}

let first = true;

function render() {
  const { name, rest } = pageOf(location.pathname);
  if (current && current.leave) current.leave();
  current = PAGES[name];
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const main = document.getElementById('main');
  main.replaceChildren();
  main.dataset.page = name;
  status('');
  current.show(main, rest, { go });
  const title = main.querySelector('h1');
  document.title = `${title ? title.textContent : name} · Lakehouse console`;
  // after a route change the focus moves to the new page's heading (what a screen reader announces); on the
  // first load it stays where the browser puts it, so Tab reaches the skip link first
  if (title) title.tabIndex = -1;
  if (title && !first) title.focus({ preventScroll: true });
  first = false;
}

function showTokenState() {
  document.getElementById('token-state').textContent = token() ? 'token set for this tab' : 'no token';
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="/ui/"]');
  if (!a || a.hasAttribute('download') || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  go(a.getAttribute('href'));
});
window.addEventListener('popstate', render);

document.getElementById('login').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.getElementById('token');
  setToken(input.value.trim());
  input.value = '';
  showTokenState();
  render();
});
document.getElementById('token-clear').addEventListener('click', () => {
  setToken('');
  showTokenState();
  render();
});

showTokenState();
if (location.pathname === '/' || location.pathname === '/ui/') history.replaceState(null, '', '/ui/datasets');
render();
