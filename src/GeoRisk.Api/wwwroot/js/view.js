// The shareable view in the URL hash, and the filters (period, profile, categories) that both
// the tiles and the signal list use.
import { state, ctx, $, el, emit, isoDate, LAYERS } from './core.js';
import { t, tn, fmtDate, label } from './i18n.js';

export function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const view = {};
  if (p.get('lang')) state.lang = p.get('lang');
  if (p.get('ct')) state.casustafel = p.get('ct');
  if (p.get('area')) state.area = { code: p.get('area') };
  if (p.get('sig')) state.focusSignal = p.get('sig');
  if (p.get('w')) state.windowMonths = Math.min(36, Math.max(1, parseInt(p.get('w'), 10) || 12));
  if (p.get('p')) state.profile = p.get('p');
  if (p.get('lv')) state.level = p.get('lv');
  // A fixed end of the window (a shared link shows the same list tomorrow); default today.
  if (/^\d{4}-\d{2}-\d{2}$/.test(p.get('end') ?? '')) state.endDate = p.get('end');
  if (p.has('cat')) state.categories = p.get('cat').split(',').filter(Boolean);
  if (p.has('l')) state.layers = new Set(p.get('l').split(',').filter((l) => LAYERS.includes(l)));
  const z = parseFloat(p.get('z')); const c = (p.get('c') || '').split(',').map(Number);
  if (Number.isFinite(z) && c.length === 2 && c.every(Number.isFinite)) Object.assign(view, { zoom: z, center: c });
  return view;
}

/** The view as URL parameters; `extra` adds e.g. a signal for a "copy link". */
export function viewParams(extra = {}) {
  const p = new URLSearchParams();
  if (state.casustafel) p.set('ct', state.casustafel);
  if (ctx.map) {
    const c = ctx.map.getCenter();
    p.set('z', ctx.map.getZoom().toFixed(2)); p.set('c', `${c.lng.toFixed(5)},${c.lat.toFixed(5)}`);
  }
  if (state.area) p.set('area', state.area.code);
  p.set('w', String(state.windowMonths));
  if (state.endDate) p.set('end', state.endDate);
  p.set('p', state.profile);
  if (state.categories.length) p.set('cat', state.categories.join(','));
  p.set('l', [...state.layers].join(','));
  if (state.level) p.set('lv', state.level);
  p.set('lang', state.lang);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString().replaceAll('%2C', ',');
}

export function writeHash() {
  if (state.restoring) return;
  history.replaceState(null, '', `#${viewParams()}`);
}

export function period() {
  const to = state.endDate ? new Date(`${state.endDate}T00:00:00Z`) : new Date();
  const from = new Date(to); from.setUTCMonth(from.getUTCMonth() - state.windowMonths);
  return { from: isoDate(from), to: isoDate(to) };
}

export function filterQuery(extra = {}) {
  const q = new URLSearchParams();
  for (const c of state.categories) q.append('category', c);
  const { from, to } = period();
  q.set('from', from); q.set('to', to);
  if (state.profile) q.set('profile', state.profile);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  return q.toString();
}

function renderWindowLabel() {
  $('window').value = String(state.windowMonths);
  $('window').setAttribute('aria-valuetext', tn('monthsCount', state.windowMonths));
  $('window-label').textContent = tn('months', state.windowMonths, { to: fmtDate(period().to) });
}

function renderCategories() {
  const box = $('categories'); box.replaceChildren();
  for (const c of state.allCategories) {
    const input = el('input', { type: 'checkbox', value: c.code, checked: state.categories.includes(c.code) });
    input.addEventListener('change', () => {
      state.categories = [...box.querySelectorAll('input:checked')].map((i) => i.value);
      filtersChanged();
    });
    box.append(el('label', { class: 'check' }, input, ` ${label(c)}`));
  }
  $('category-count').textContent = state.categories.length ? `(${state.categories.length})` : `(${t('allCategories')})`;
}

export function renderFilters() { renderCategories(); renderWindowLabel(); }

function filtersChanged() {
  renderFilters();
  emit('filters');
  writeHash();
}

export function wireFilters() {
  $('profile').value = state.profile;
  $('window').addEventListener('input', (e) => { state.windowMonths = parseInt(e.target.value, 10); renderWindowLabel(); });
  $('window').addEventListener('change', () => filtersChanged());
  $('profile').addEventListener('change', (e) => { state.profile = e.target.value.trim(); filtersChanged(); });
}
