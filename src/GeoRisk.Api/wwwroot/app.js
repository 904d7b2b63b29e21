// GeoRisk web map: the entry module. Plain ES modules over MapLibre GL JS (wwwroot/lib,
// installed from npm by the build); no bundler. Each feature lives in its own module under
// js/ and is wired here with one line; contracts with the server are in docs/webmap.md.
import { state, ctx, $, el, on, emit, api, setStatus, LAYERS } from './js/core.js';
import { setLanguage, t, tOr, fmtNumber, fmtDate, problemMessage, incidentKindLabel } from './js/i18n.js';
import { readHash, writeHash, wireFilters, renderFilters, period } from './js/view.js';
import { createMap, addTileLayers, zoomToCasustafel, wireMapControls, renderLevels, setSelected } from './js/map.js';
import { openArea, wirePanel, renderPanel } from './js/panel.js';
import { wireLayout } from './js/layout.js';
import { wireAreaSearch } from './js/area-search.js';
import { wirePopups } from './js/popups.js';
import { wireAreaHotspots } from './js/area-hotspots.js';

const KEY_STORAGE = 'georisk.apiKey';

window.georisk = { state, openArea, get tileResponses() { return state.tileResponses; } };

function signOut() {
  sessionStorage.removeItem(KEY_STORAGE);
  state.key = null;
  if (!$('signin').open) $('signin').showModal();
}

async function signIn(key) {
  state.key = key;
  try {
    state.me = await api('/api/casustafels', { noSignOut: true });
    // k of the suppression (viewers): shown as "< k" where a count is withheld.
    if (state.me.suppressed) state.k = (await api('/api/me').catch(() => null))?.suppression_k ?? null;
  } catch (e) {
    state.key = null;
    throw e;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
}

function renderCasustafels() {
  const select = $('casustafel'); select.replaceChildren();
  for (const ct of state.me.casustafels) select.append(el('option', { value: ct.id, text: ct.name }));
  if (!state.me.casustafels.some((c) => c.id === state.casustafel)) state.casustafel = state.me.casustafels[0]?.id ?? null;
  select.value = state.casustafel ?? '';
  select.disabled = !state.me.casustafels.length;
  renderRole();
}
const renderRole = () => { $('role').textContent = state.me?.role ? t(`role.${state.me.role}`) : ''; };

async function start() {
  LAYERS.splice(0, LAYERS.length, ...await window.GeoRiskTileCatalogue.load(api, [...LAYERS]));
  const view = readHash();
  state.config = await api('/api/webmap/config').catch(() => ({}));
  try {
    const refs = await api('/api/categories');
    state.allCategories = Array.isArray(refs) ? refs : (refs.categories ?? refs.items ?? []);
  } catch { state.allCategories = []; }
  state.profile = await window.GeoRiskProfiles.fill($('profile'), { api, t, message: $('profile-message'), current: state.profile,
    fallback: 'riec-standaard', onChange: (name) => { state.profile = name; writeHash(); } });
  state.categories = state.categories.filter((c) => state.allCategories.length === 0 || state.allCategories.some((x) => x.code === c));
  renderCasustafels();
  await createMap(view);
  await addTileLayers();
  if (!view.center) zoomToCasustafel();
  await setLanguage(state.lang);
  window.GeoRiskPorts?.attach({ api, el, t, tOr, incidentKindLabel, fmtNumber, fmtDate, problemMessage, period, state, map: ctx.map });
  state.restoring = false;
  emit('started');
  if (state.area) openArea(state.area.code, { keepView: true });
  writeHash();
  setStatus('');
  document.body.dataset.ready = 'true';
}

function wireControls() {
  $('lang').addEventListener('click', () => setLanguage(state.lang === 'nl' ? 'en' : 'nl').then(writeHash));
  $('signout').addEventListener('click', () => { signOut(); location.reload(); });
  $('casustafel').addEventListener('change', (e) => {
    state.casustafel = e.target.value; state.area = null; setSelected(null); renderPanel();
    emit('casustafel'); zoomToCasustafel(); writeHash();
  });
  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const err = $('signin-error'); err.hidden = true;
    try {
      await signIn($('apikey').value.trim());
      $('signin').close();
      await start();
    } catch (ex) {
      err.textContent = ex.status === 401 ? t('signInFailed') : t('errorLoading', { e: ex.message });
      err.hidden = false;
    }
  });
  on('unauthorized', signOut);
  on('language', () => { $('lang').textContent = state.lang === 'nl' ? 'EN' : 'NL'; $('lang').lang = state.lang === 'nl' ? 'en' : 'nl'; $('lang').title = t('switchLanguage'); renderFilters(); renderRole(); renderLevels(); if (state.area && state.restoring) renderPanel(); window.GeoRiskPorts?.language(); });
}

(async () => {
  readHash();
  wireLayout(); wireFilters(); wireMapControls(); wirePanel(); wireAreaSearch(); wirePopups(); wireAreaHotspots(); wireControls();
  await setLanguage(state.lang);
  const saved = sessionStorage.getItem(KEY_STORAGE);
  if (saved) {
    try { await signIn(saved); await start(); return; } catch { /* fall through to the dialog */ }
  }
  $('signin').showModal();
})();
