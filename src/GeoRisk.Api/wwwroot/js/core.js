// Shared state, DOM helpers, the API client and a tiny event bus. Every other module of the web
// map imports from here; nothing here imports another module, so there are no import cycles.
// Everything the server sends is treated as data (textContent), never as HTML.

// The map's own layers in drawing order; app.js replaces the contents with the server's tile
// catalogue at start (tile-catalogue.js), so a layer defined on the server appears without a change here.
export const LAYERS = ['areas', 'hexbins', 'signals', 'cameras', 'incidents'];
// Signal points are one click away: thousands of dots would hide the choropleth at first sight.
export const DEFAULT_LAYERS = ['areas', 'hexbins'];

export const state = {
  lang: 'nl', dict: {}, key: null, me: null, config: null,
  casustafel: null, area: null, windowMonths: 12, endDate: null, profile: 'riec-standaard',
  categories: [], allCategories: [], layers: new Set(DEFAULT_LAYERS), available: new Set(),
  level: null, tileResponses: 0, restoring: true,
};

/** The MapLibre map once created (modules read `ctx.map`, so they never hold a stale copy). */
export const ctx = { map: null };

// ---------- events: modules subscribe instead of importing each other ----------
const listeners = new Map();
export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}
export function emit(name, ...args) {
  for (const fn of listeners.get(name) ?? []) fn(...args);
}

// ---------- DOM ----------
export const $ = (id) => document.getElementById(id);
export const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
};
export const isoDate = (d) => d.toISOString().slice(0, 10);
export const setStatus = (msg) => { $('status').textContent = msg ?? ''; };

// ---------- API ----------
/** A failed API call. `problem` is the RFC 9457 body (with its stable `code`) when there was one. */
export class HttpError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status; this.problem = problem ?? null;
  }
}

export async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  if (state.key) headers.set('Authorization', `Bearer ${state.key}`);
  if (options.json !== undefined) { headers.set('Content-Type', 'application/json'); options.body = JSON.stringify(options.json); }
  const res = await fetch(path, { ...options, headers });
  if (res.status === 401 && !options.noSignOut) emit('unauthorized');
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not problem details */ }
    throw new HttpError(res.status, problem);
  }
  return options.raw ? res : (res.status === 204 ? null : res.json());
}

// ---------- what the caller may do (the server enforces it; the page only hides what fails) ----------
export const role = () => state.me?.role ?? null;
export const seesSignals = () => Boolean(state.me && !state.me.suppressed);
export const canChangeFollowup = () => ['member', 'admin'].includes(role());
export const canExport = () => seesSignals() && Boolean(state.casustafel);
