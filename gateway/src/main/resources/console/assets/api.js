// The console's one door to the fleet: the public /v1 API of the gateway that served the page.
// The bearer token lives in sessionStorage only (gone when the tab closes; never in localStorage or a cookie).
const TOKEN_KEY = 'lakehouse.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
}

/** An answer that was not 2xx: the API's JSON error body ({error, status, code, ...}) when it sent one. */
export class ApiError extends Error {
  constructor(status, body, text) {
    super(body && body.error ? body.error : (text || `HTTP ${status}`));
    this.status = status;
    this.body = body;
    this.code = body && body.code ? body.code : null;
  }
}

function headers(extra) {
  const h = new Headers(extra || {});
  if (token()) h.set('Authorization', 'Bearer ' + token());
  return h;
}

async function fail(resp) {
  const text = await resp.text();
  let body = null;
  try { body = JSON.parse(text); } catch (e) { /* not JSON: keep the text */ }
  return new ApiError(resp.status, body, text);
}

/** fetch with the token; rejects with ApiError on a non-2xx answer. */
export async function call(path, opts = {}) {
  const resp = await fetch(path, { ...opts, headers: headers(opts.headers) });
  if (!resp.ok) throw await fail(resp);
  return resp;
}

export async function json(path, opts = {}) {
  const resp = await call(path, opts);
  return resp.status === 204 ? null : resp.json();
}

export function postJson(path, body) {
  return json(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

/**
 * Sends a body with upload progress (fetch has none): onProgress(loaded, total). Resolves with the parsed JSON
 * answer, rejects with ApiError.
 */
export function upload(method, path, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    if (token()) xhr.setRequestHeader('Authorization', 'Bearer ' + token());
    xhr.upload.onprogress = (e) => onProgress && onProgress(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.onerror = () => reject(new ApiError(0, null, 'network error: the gateway did not answer'));
    xhr.onload = () => {
      let parsed = null;
      try { parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch (e) { /* keep text */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed);
      else reject(new ApiError(xhr.status, parsed, xhr.responseText));
    };
    xhr.send(body);
  });
}

/** Saves a response body as a file named `name` (the body goes through the browser, not the page's DOM). */
export async function download(resp, name) {
  const blob = await resp.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return blob.size;
}

export const enc = encodeURIComponent;
/** An object key for a URL path: each segment encoded, the slashes kept. */
export const keyPath = (key) => key.split('/').map(encodeURIComponent).join('/');
