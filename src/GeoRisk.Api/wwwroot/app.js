// GeoRisk web map. Plain script over MapLibre GL JS (wwwroot/lib, installed from npm
// by the build). Contracts it relies on are listed in docs/webmap.md; everything the server
// sends is treated as data (textContent), never as HTML.
(() => {
  'use strict';

  const KEY_STORAGE = 'georisk.apiKey';
  // The server's tile catalogue replaces this list at start (tile-catalogue.js).
  let LAYERS = ['areas', 'hexbins', 'signals', 'cameras', 'incidents'];
  // Signal points are one click away: thousands of dots would hide the choropleth at first sight.
  const DEFAULT_LAYERS = ['areas', 'hexbins'];
  // Fixed, absolute class breaks: a colour always means the same score, whatever is in view.
  // Same classes and colours as the raster tiles' ramp (tiles/styles/areas.json).
  const SCORE_STEPS = [
    [0, '#ffffb2'], [20, '#fecc5c'], [40, '#fd8d3c'], [60, '#f03b20'], [80, '#bd0026'],
  ];
  const GI_CLASSES = [
    ['hot99', '#b2182b', ['3', 'hot99', 'hot-99', 'hot_99']],
    ['hot95', '#ef8a62', ['2', 'hot95', 'hot-95', 'hot_95']],
    ['hot90', '#fddbc7', ['1', 'hot90', 'hot-90', 'hot_90']],
    ['ns', 'rgba(0,0,0,0)', ['0', 'ns', 'none', 'not_significant']],
    ['cold90', '#d1e5f0', ['-1', 'cold90', 'cold-90', 'cold_90']],
    ['cold95', '#67a9cf', ['-2', 'cold95', 'cold-95', 'cold_95']],
    ['cold99', '#2166ac', ['-3', 'cold99', 'cold-99', 'cold_99']],
  ];
  const COLORS = { knelpunt: '#5b0a91', outline: '#555', gemeente: '#222', signal: '#1b7837', camera: '#0571b0', incident: '#e66101' };

  const state = {
    lang: 'nl', dict: {}, key: null, me: null, config: null,
    casustafel: null, area: null, windowMonths: 12, endDate: null, profile: 'riec-standaard',
    categories: [], allCategories: [], layers: new Set(DEFAULT_LAYERS), available: new Set(),
    tileResponses: 0, restoring: true,
  };
  let map = null;

  // ---------- small helpers ----------
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs = {}, ...children) => {
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
  const t = (key, vars = {}) => {
    let s = state.dict[key] ?? key;
    for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
    return s;
  };
  const label = (obj) => (obj ? (state.lang === 'en' ? obj.label_en ?? obj.labelEn : obj.label_nl ?? obj.labelNl) ?? obj.label ?? obj.code : '');
  const categoryLabel = (code) => label(state.allCategories.find((c) => c.code === code)) || code;
  const fmtNumber = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(Number(n)) ? '–'
    : Number(n).toLocaleString(state.lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: digits }));
  const fmtDate = (s) => (s ? new Date(s).toLocaleDateString(state.lang === 'en' ? 'en-GB' : 'nl-NL', { year: 'numeric', month: 'short', day: 'numeric' }) : '–');
  const isoDate = (d) => d.toISOString().slice(0, 10);
  const setStatus = (msg) => { $('status').textContent = msg ?? ''; };

  class HttpError extends Error {
    constructor(status, detail) { super(detail || `HTTP ${status}`); this.status = status; }
  }

  async function api(path, options = {}) {
    const headers = new Headers(options.headers || {});
    if (state.key) headers.set('Authorization', `Bearer ${state.key}`);
    if (options.json !== undefined) { headers.set('Content-Type', 'application/json'); options.body = JSON.stringify(options.json); }
    const res = await fetch(path, { ...options, headers });
    if (res.status === 401) { signOut(); throw new HttpError(401, t('signInFailed')); }
    if (!res.ok) {
      let detail = '';
      try { const p = await res.json(); detail = p.detail || p.title || ''; } catch { /* not problem details */ }
      throw new HttpError(res.status, detail);
    }
    return options.raw ? res : (res.status === 204 ? null : res.json());
  }

  // ---------- i18n ----------
  async function setLanguage(lang) {
    state.lang = lang === 'en' ? 'en' : 'nl';
    state.dict = await (await fetch(`i18n/${state.lang}.json`)).json();
    document.documentElement.lang = state.lang;
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    $('lang').textContent = state.lang === 'nl' ? 'EN' : 'NL';
    renderToggles(); renderLegend(); renderCategories(); renderWindowLabel(); renderBasemapNote();
    if (state.area) renderPanel();
    writeHash();
  }

  // ---------- URL hash: the shareable view ----------
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    const view = {};
    if (p.get('lang')) state.lang = p.get('lang');
    if (p.get('ct')) state.casustafel = p.get('ct');
    if (p.get('area')) state.area = { code: p.get('area') };
    if (p.get('w')) state.windowMonths = Math.min(36, Math.max(1, parseInt(p.get('w'), 10) || 12));
    if (p.get('p')) state.profile = p.get('p');
    // A fixed end of the window (a shared link shows the same list tomorrow); default today.
    if (/^\d{4}-\d{2}-\d{2}$/.test(p.get('end') ?? '')) state.endDate = p.get('end');
    if (p.has('cat')) state.categories = p.get('cat').split(',').filter(Boolean);
    if (p.has('l')) state.layers = new Set(p.get('l').split(',').filter((l) => LAYERS.includes(l)));
    const z = parseFloat(p.get('z')); const c = (p.get('c') || '').split(',').map(Number);
    if (Number.isFinite(z) && c.length === 2 && c.every(Number.isFinite)) Object.assign(view, { zoom: z, center: c });
    return view;
  }

  function writeHash() {
    if (state.restoring) return;
    const p = new URLSearchParams();
    if (state.casustafel) p.set('ct', state.casustafel);
    if (map) {
      const c = map.getCenter();
      p.set('z', map.getZoom().toFixed(2)); p.set('c', `${c.lng.toFixed(5)},${c.lat.toFixed(5)}`);
    }
    if (state.area) p.set('area', state.area.code);
    p.set('w', String(state.windowMonths));
    if (state.endDate) p.set('end', state.endDate);
    p.set('p', state.profile);
    if (state.categories.length) p.set('cat', state.categories.join(','));
    p.set('l', [...state.layers].join(','));
    p.set('lang', state.lang);
    history.replaceState(null, '', `#${p.toString().replaceAll('%2C', ',')}`);
  }

  // ---------- filters ----------
  function period() {
    const to = state.endDate ? new Date(`${state.endDate}T00:00:00Z`) : new Date();
    const from = new Date(to); from.setUTCMonth(from.getUTCMonth() - state.windowMonths);
    return { from: isoDate(from), to: isoDate(to) };
  }
  function filterQuery(extra = {}) {
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
    $('window-label').textContent = t('months', { n: state.windowMonths, to: fmtDate(period().to) });
  }
  function renderCategories() {
    const box = $('categories'); box.replaceChildren();
    for (const c of state.allCategories) {
      const input = el('input', { type: 'checkbox', value: c.code, checked: state.categories.includes(c.code) });
      input.addEventListener('change', () => {
        state.categories = [...box.querySelectorAll('input:checked')].map((i) => i.value);
        onFiltersChanged();
      });
      box.append(el('label', { class: 'check' }, input, ` ${label(c)}`));
    }
    $('category-count').textContent = state.categories.length ? `(${state.categories.length})` : `(${t('allCategories')})`;
  }
  function onFiltersChanged() {
    renderCategories(); renderWindowLabel();
    refreshTiles();
    if (state.area) openArea(state.area.code, { keepView: true });
    writeHash();
  }

  // ---------- map ----------
  function baseStyle() {
    const style = { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }] };
    const bm = state.config?.basemap;
    if (bm?.url) {
      if (bm.type === 'style') return bm.url; // a full MapLibre style URL (vector basemap)
      style.sources.basemap = { type: 'raster', tiles: [bm.url], tileSize: bm.tileSize || 256, attribution: bm.attribution || '', maxzoom: bm.maxzoom || 19 };
      style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
    }
    return style;
  }

  function transformRequest(url) {
    // Only our own origin gets the key: a basemap on another host never sees it.
    if (state.key && new URL(url, location.href).origin === location.origin) {
      return { url, headers: { Authorization: `Bearer ${state.key}` } };
    }
    return { url };
  }

  function tileUrl(template) {
    const abs = new URL(template, location.origin).toString().replaceAll('%7B', '{').replaceAll('%7D', '}');
    return abs + (abs.includes('?') ? '&' : '?') + filterQuery();
  }

  async function addTileLayers() {
    state.available.clear();
    const results = await Promise.allSettled(LAYERS.map((name) => api(`/tiles/${name}.json`)));
    results.forEach((r, i) => {
      const name = LAYERS[i];
      if (r.status !== 'fulfilled' || !r.value?.tiles?.length) return;
      const tj = r.value;
      state.available.add(name);
      map.addSource(name, {
        type: 'vector', tiles: [tileUrl(tj.tiles[0])], minzoom: tj.minzoom ?? 0, maxzoom: tj.maxzoom ?? 22,
        promoteId: name === 'areas' ? 'code' : undefined,
      });
      map.getSource(name).georiskTemplate = tj.tiles[0];
      const ids = (tj.vector_layers || []).map((v) => v.id);
      for (const sourceLayer of (ids.length ? ids : [name])) addStyleLayers(name, sourceLayer);
    });
    if (!state.available.has('areas')) {
      // No area tiles on this server: the outlines come from /api/areas as GeoJSON (without
      // scores), so the map stays readable and areas stay clickable.
      map.addSource('areas', { type: 'geojson', data: new URL('/api/areas', location.origin).toString(), promoteId: 'code' });
      addStyleLayers('areas', null);
      state.available.add('areas');
      state.areasFromGeoJson = true;
    }
    applyLayerVisibility(); renderToggles();
  }

  function addStyleLayers(name, sl) {
    const polygon = ['==', ['geometry-type'], 'Polygon'];
    const point = ['==', ['geometry-type'], 'Point'];
    const id = (suffix) => `${name}-${sl ?? 'geojson'}-${suffix}`;
    const add = (layer) => map.addLayer({ source: name, ...(sl ? { 'source-layer': sl } : {}), ...layer, id: id(layer.id), metadata: { group: name } });
    if (name === 'areas') {
      const score = ['to-number', ['coalesce', ['get', 'score'], -1], -1];
      const ramp = ['step', score, '#d9d9d9'];
      SCORE_STEPS.forEach(([v, c]) => ramp.push(v, c));
      const flagged = ['any', ['==', ['get', 'flag'], true], ['==', ['get', 'knelpunt'], true], ['==', ['get', 'candidate'], true], ['==', ['get', 'flagged'], true]];
      add({ id: 'fill', type: 'fill', filter: polygon, paint: { 'fill-color': ramp, 'fill-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 0.8, 0.55] } });
      add({ id: 'line', type: 'line', filter: polygon, paint: { 'line-color': ['match', ['get', 'kind'], 'gemeente', COLORS.gemeente, COLORS.outline], 'line-width': ['match', ['get', 'kind'], 'gemeente', 2, 0.8] } });
      add({ id: 'knelpunt', type: 'line', filter: ['all', polygon, flagged], paint: { 'line-color': COLORS.knelpunt, 'line-width': 3.5 } });
      add({ id: 'selected', type: 'line', filter: polygon, paint: { 'line-color': '#000', 'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 0] } });
    } else if (name === 'hexbins') {
      const cls = ['to-string', ['coalesce', ['get', 'gi_class'], ['get', 'class'], ['get', 'giclass'], ['get', 'gi'], '0']];
      const colour = ['match', cls];
      for (const [, c, values] of GI_CLASSES) colour.push(values, c);
      colour.push('rgba(0,0,0,0)');
      add({ id: 'fill', type: 'fill', filter: polygon, paint: { 'fill-color': colour, 'fill-opacity': 0.7, 'fill-outline-color': 'rgba(80,80,80,0.3)' } });
    } else if (name === 'signals') {
      const count = ['to-number', ['coalesce', ['get', 'count'], ['get', 'n'], 1], 1];
      add({ id: 'circle', type: 'circle', filter: point, paint: { 'circle-color': COLORS.signal, 'circle-opacity': 0.8, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1, 'circle-radius': ['interpolate', ['linear'], count, 1, 4, 10, 7, 100, 12, 1000, 18] } });
    } else if (name === 'cameras') {
      add({ id: 'viewshed', type: 'fill', filter: polygon, paint: { 'fill-color': COLORS.camera, 'fill-opacity': 0.18, 'fill-outline-color': COLORS.camera } });
      add({ id: 'point', type: 'circle', filter: point, paint: { 'circle-color': COLORS.camera, 'circle-radius': 4, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
    } else if (name === 'gelegenheidskaart') {
      window.GeoRiskRtm?.styleLayers(add, polygon);
    } else if (name === 'incidents') {
      add({ id: 'point', type: 'circle', filter: point, paint: { 'circle-color': COLORS.incident, 'circle-radius': 5, 'circle-stroke-color': '#000', 'circle-stroke-width': 0.5 } });
      add({ id: 'fill', type: 'fill', filter: polygon, paint: { 'fill-color': COLORS.incident, 'fill-opacity': 0.3 } });
    } else {
      window.GeoRiskTileCatalogue.addStyle(name, add);
    }
  }

  function refreshTiles() {
    if (!map) return;
    for (const name of state.available) {
      const src = map.getSource(name);
      if (src?.setTiles && src.georiskTemplate) src.setTiles([tileUrl(src.georiskTemplate)]);
    }
  }

  function applyLayerVisibility() {
    if (!map) return;
    for (const layer of map.getStyle().layers) {
      const group = layer.metadata?.group;
      if (group) map.setLayoutProperty(layer.id, 'visibility', state.layers.has(group) ? 'visible' : 'none');
    }
  }

  function visibleLayerNames() {
    const isMember = state.me && !state.me.suppressed;
    return LAYERS.filter((n) => n !== 'signals' || isMember);
  }

  function renderToggles() {
    const box = $('layer-toggles'); box.replaceChildren();
    for (const name of visibleLayerNames()) {
      const available = state.available.has(name);
      const input = el('input', { type: 'checkbox', id: `toggle-${name}`, checked: state.layers.has(name), disabled: !available });
      input.addEventListener('change', () => {
        if (input.checked) state.layers.add(name); else state.layers.delete(name);
        applyLayerVisibility(); renderLegend(); writeHash();
      });
      const text = state.dict[`layer.${name}`] ? t(`layer.${name}`) : (window.GeoRiskTileCatalogue.label(name, state.lang) ?? name);
      box.append(el('label', { class: `check${available ? '' : ' muted'}`, for: `toggle-${name}` }, input, ` ${text}`));
    }
  }

  function swatch(style) { return el('span', { class: 'swatch', style }); }
  function renderLegend() {
    const box = $('legend'); box.replaceChildren();
    const on = (n) => state.layers.has(n) && (state.available.has(n) || !map);
    if (on('areas')) {
      box.append(el('div', { class: 'legend-title', text: t('legend.score') }));
      SCORE_STEPS.forEach(([v, c], i) => {
        const upper = i + 1 < SCORE_STEPS.length ? SCORE_STEPS[i + 1][0] : 100;
        box.append(el('div', { class: 'legend-row' }, swatch(`background:${c}`), ` ${v}–${upper}`));
      });
      box.append(el('div', { class: 'legend-row' }, swatch('background:#d9d9d9'), ` ${t('legend.noScore')}`));
      box.append(el('div', { class: 'legend-row' }, swatch(`background:transparent;border:3px solid ${COLORS.knelpunt}`), ` ${t('legend.knelpunt')}`));
    }
    if (on('hexbins')) {
      box.append(el('div', { class: 'legend-title', text: t('legend.hexbins') }));
      for (const [key, c] of GI_CLASSES) {
        box.append(el('div', { class: 'legend-row' }, swatch(key === 'ns' ? 'background:transparent;border:1px dashed #999' : `background:${c}`), ` ${t(`gi.${key}`)}`));
      }
    }
    if (on('signals') && visibleLayerNames().includes('signals')) {
      box.append(el('div', { class: 'legend-row' }, swatch(`background:${COLORS.signal};border-radius:50%`), ` ${t('legend.signals')}`));
      box.append(el('div', { class: 'legend-row' }, swatch(`background:${COLORS.signal};border-radius:50%;width:18px;height:18px`), ` ${t('legend.signalsCluster')}`));
    }
    if (on('cameras')) box.append(el('div', { class: 'legend-row' }, swatch(`background:${COLORS.camera}33;border:1px solid ${COLORS.camera}`), ` ${t('legend.cameras')}`));
    if (on('incidents')) box.append(el('div', { class: 'legend-row' }, swatch(`background:${COLORS.incident};border-radius:50%`), ` ${t('legend.incidents')}`));
    if (on('gelegenheidskaart')) window.GeoRiskRtm?.legend(box, el, swatch, state.lang);
  }
  function renderBasemapNote() {
    const bm = state.config?.basemap;
    $('basemap-note').textContent = bm?.url ? t('basemapAttribution', { a: bm.attribution || bm.url }) : t('basemapNone');
  }

  function createMap(view) {
    map = new maplibregl.Map({
      container: 'map', style: baseStyle(), transformRequest,
      center: view.center || [4.9, 52.37], zoom: view.zoom ?? 11, minZoom: 5, maxZoom: 19,
      attributionControl: { compact: true },
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    window.georisk.map = map;
    map.on('sourcedata', (e) => {
      if (e.tile && e.sourceId && LAYERS.includes(e.sourceId) && e.dataType === 'source') state.tileResponses += 1;
    });
    map.on('moveend', writeHash);
    map.on('click', (e) => {
      const layers = map.getStyle().layers.filter((l) => l.metadata?.group === 'areas' && l.id.endsWith('-fill')).map((l) => l.id);
      if (!layers.length) return;
      const hits = map.queryRenderedFeatures(e.point, { layers });
      if (!hits.length) return;
      // Overlapping areas (a buurt inside a gemeente): the smallest scope wins, gemeente last.
      hits.sort((a, b) => (a.properties.kind === 'gemeente') - (b.properties.kind === 'gemeente'));
      const code = hits[0].properties.code ?? hits[0].id;
      if (code) openArea(String(code));
    });
    map.on('mousemove', (e) => {
      const layers = map.getStyle().layers.filter((l) => l.metadata?.group === 'areas' && l.id.endsWith('-fill')).map((l) => l.id);
      map.getCanvas().style.cursor = layers.length && map.queryRenderedFeatures(e.point, { layers }).length ? 'pointer' : '';
    });
    return new Promise((resolve) => map.on('load', resolve));
  }

  // ---------- casustafels ----------
  function renderCasustafels() {
    const select = $('casustafel'); select.replaceChildren();
    for (const ct of state.me.casustafels) select.append(el('option', { value: ct.id, text: ct.name }));
    if (!state.me.casustafels.some((c) => c.id === state.casustafel)) state.casustafel = state.me.casustafels[0]?.id ?? null;
    select.value = state.casustafel ?? '';
    $('role').textContent = state.me.role ? `(${state.me.role})` : '';
  }
  function currentCasustafel() { return state.me?.casustafels.find((c) => c.id === state.casustafel) ?? null; }
  function zoomToCasustafel() {
    const ct = currentCasustafel();
    if (ct?.bbox && map) map.fitBounds([[ct.bbox[0], ct.bbox[1]], [ct.bbox[2], ct.bbox[3]]], { padding: 40, duration: 0 });
  }

  // ---------- side panel: score, components, trend, flag, signal list ----------
  // Score responses come from the scoring endpoints; read them tolerantly so a renamed field degrades to '–'.
  function normalizeScore(s) {
    if (!s) return null;
    const flagObj = s.kandidaat ?? s.flag ?? s.knelpunt ?? s.candidate ?? s.flags ?? {};
    const raised = typeof flagObj === 'boolean' ? flagObj : Boolean(flagObj.raised ?? flagObj.candidate ?? flagObj.value ?? flagObj.flag);
    const rawReasons = (typeof flagObj === 'object' ? flagObj.reasons : null) ?? s.reasons ?? [];
    const reasons = rawReasons.map((r) => (typeof r === 'string' ? r
      : [r.passed === undefined ? '' : (r.passed ? '✔' : '✘'), t(`threshold.${r.threshold}`) !== `threshold.${r.threshold}` ? t(`threshold.${r.threshold}`) : (r.text ?? r.reason ?? r.threshold ?? r.name ?? ''),
        (r.actual ?? r.value) !== undefined ? `${fmtNumber(r.actual ?? r.value, 1)}` : '',
        (r.required ?? r.limit) !== undefined ? `(≥ ${fmtNumber(r.required ?? r.limit, 1)})` : ''].filter(Boolean).join(' ')));
    let components = s.components ?? [];
    if (!Array.isArray(components)) components = Object.entries(components).map(([category, v]) => ({ category, value: typeof v === 'object' ? (v.value ?? v.contribution ?? v.raw) : v }));
    components = components.map((c) => ({ category: c.category ?? c.code, value: Number(c.value ?? c.contribution ?? c.raw ?? 0) }))
      .filter((c) => c.category).sort((a, b) => b.value - a.value);
    const trend = s.trend;
    let trendPct = null;
    if (typeof trend === 'number') trendPct = trend;
    else if (trend && typeof trend === 'object') {
      trendPct = trend.change_pct ?? trend.changePct ?? trend.percent ?? null;
      if (trendPct === null && trend.previous !== undefined && trend.current !== undefined && trend.previous) trendPct = 100 * (trend.current - trend.previous) / trend.previous;
    }
    return {
      score: s.score, raw: s.raw, rank: s.rank ?? s.rank_in_kind, of: s.of ?? s.rank_of ?? s.rankOf, kind: s.kind, components,
      trendPct, trendText: typeof trend === 'string' ? trend : (trend?.direction ?? null), raised, reasons,
      profile: s.profile ?? s.profile_name, referenceDate: s.reference_date ?? s.referenceDate,
    };
  }

  async function openArea(code, { keepView = false } = {}) {
    state.area = { code, loading: true };
    setSelected(code);
    $('panel').hidden = false;
    renderPanel(); writeHash();
    const ct = state.casustafel;
    const areaInfo = currentCasustafel()?.areas?.find((a) => a.code === code);
    const [score, list] = await Promise.allSettled([
      api(`/api/areas/${encodeURIComponent(code)}/score?${new URLSearchParams(state.profile ? { profile: state.profile } : {})}`),
      ct ? api(`/api/casustafels/${encodeURIComponent(ct)}/signaallijst?${filterQuery({ area: code, limit: 25, lang: state.lang })}`) : Promise.resolve(null),
    ]);
    if (state.area?.code !== code) return; // another click came in meanwhile
    const typed = score.status === 'fulfilled' && score.value?.relative_risk ? score.value : null;
    const normalized = score.status === 'fulfilled' && !typed ? normalizeScore(score.value) : null;
    if (normalized && !normalized.rank && normalized.kind) {
      // The score of one area has no rank: it is the area's place in the ranking of its kind.
      try {
        const ranking = await api(`/api/scores?${new URLSearchParams({ kind: normalized.kind, ...(state.profile ? { profile: state.profile } : {}) })}`);
        const areas = ranking?.areas ?? [];
        const mine = areas.find((x) => x.code === code);
        if (mine) { normalized.rank = mine.rank_in_kind ?? mine.rank; normalized.of = areas.length; }
      } catch { /* rank stays unknown */ }
    }
    state.area = {
      code, name: areaInfo?.name ?? list.value?.area?.name ?? code, kind: areaInfo?.kind ?? list.value?.area?.kind,
      score: normalized, typedScore: typed,
      scoreError: score.status === 'rejected' ? score.reason : null,
      list: list.status === 'fulfilled' ? list.value : null,
      listError: list.status === 'rejected' ? list.reason : null,
    };
    renderPanel();
    if (!keepView) writeHash();
  }

  let selectedId = null;
  function setSelected(code) {
    if (!map || !state.available.has('areas')) return;
    const layer = map.getStyle().layers.find((l) => l.metadata?.group === 'areas');
    if (!layer) return;
    const target = (id) => ({ source: 'areas', ...(layer['source-layer'] ? { sourceLayer: layer['source-layer'] } : {}), id });
    if (selectedId !== null) map.setFeatureState(target(selectedId), { selected: false });
    selectedId = code;
    if (code !== null) map.setFeatureState(target(code), { selected: true });
  }

  function renderPanel() {
    const body = $('panel-body'); body.replaceChildren();
    const a = state.area;
    if (!a) { $('panel').hidden = true; return; }
    body.append(el('h2', { id: 'area-name', text: a.name ?? a.code }), el('p', { class: 'muted small', text: [a.code, a.kind].filter(Boolean).join(' · ') }));
    if (a.loading) { body.append(el('p', { text: t('loading') })); return; }

    const s = a.score;
    const scoreBox = a.typedScore ? GeoRiskScore.render(a.typedScore, { el, t, fmtNumber, categoryLabel, lang: state.lang }) : el('section', { id: 'score-box' });
    if (a.typedScore) { /* rendered by score-panel.js */ } else if (s && s.score !== undefined && s.score !== null) {
      scoreBox.append(el('div', { class: 'kpis' },
        el('div', { class: 'kpi' }, el('span', { class: 'kpi-label', text: t('score') }), el('span', { id: 'area-score', class: 'kpi-value', text: fmtNumber(s.score, 0) })),
        el('div', { class: 'kpi' }, el('span', { class: 'kpi-label', text: t('rank') }), el('span', { class: 'kpi-value', text: s.rank ? (s.of ? t('rankOf', { rank: s.rank, of: s.of }) : String(s.rank)) : '–' })),
        el('div', { class: 'kpi' }, el('span', { class: 'kpi-label', text: t('raw') }), el('span', { class: 'kpi-value', text: fmtNumber(s.raw, 2) }))));
      const trendWord = s.trendPct === null ? (s.trendText ?? '–')
        : `${s.trendPct > 1 ? '▲ ' + t('trendUp') : s.trendPct < -1 ? '▼ ' + t('trendDown') : '▶ ' + t('trendFlat')} (${s.trendPct > 0 ? '+' : ''}${fmtNumber(s.trendPct, 0)}%)`;
      scoreBox.append(el('p', {}, el('strong', { text: `${t('trend')}: ` }), trendWord));
      scoreBox.append(el('p', { class: s.raised ? 'flag flag-on' : 'flag' }, el('strong', { text: `${t('flag')}: ` }), s.raised ? t('flagYes') : t('flagNo')));
      if (s.reasons.length) scoreBox.append(el('ul', { class: 'reasons' }, s.reasons.map((r) => el('li', { text: r }))));
      if (s.components.length) {
        const max = Math.max(...s.components.map((c) => Math.abs(c.value)), 1e-9);
        scoreBox.append(el('h3', { text: t('components') }), el('div', { class: 'bars' }, s.components.map((c) => el('div', { class: 'bar-row' },
          el('span', { class: 'bar-label', text: categoryLabel(c.category) }),
          el('span', { class: 'bar' }, el('span', { class: 'bar-fill', style: `width:${(100 * Math.abs(c.value) / max).toFixed(1)}%` })),
          el('span', { class: 'bar-value', text: fmtNumber(c.value, 2) })))));
      }
    } else {
      scoreBox.append(el('p', { class: 'muted', text: a.scoreError && a.scoreError.status !== 404 ? t('errorLoading', { e: a.scoreError.message }) : t('noScoreYet') }));
    }
    body.append(scoreBox);

    const listBox = el('section', { id: 'signal-list' }, el('h3', { text: t('signaallijst') }));
    if (state.casustafel) {
      listBox.append(el('div', { class: 'exports' },
        el('button', { type: 'button', id: 'export-csv', onclick: () => download('csv'), text: t('exportCsv') }),
        el('button', { type: 'button', id: 'export-pdf', onclick: () => download('pdf'), text: t('exportPdf') })));
    }
    const rows = a.list?.rows ?? [];
    if (a.listError) listBox.append(el('p', { class: 'error', text: t('errorLoading', { e: a.listError.message }) }));
    else if (!rows.length) listBox.append(el('p', { class: 'muted', text: t('noSignals') }));
    else {
      const table = el('table', { class: 'signals' },
        el('thead', {}, el('tr', {}, ['col.rank', 'col.category', 'col.location', 'col.date', 'col.partners', 'col.status'].map((k) => el('th', { text: t(k) })))),
        el('tbody', {}, rows.map((r) => signalRow(r))));
      listBox.append(table);
    }
    body.append(listBox);
    if (state.me && state.key && window.GeoRiskRtm) {
      body.append(window.GeoRiskRtm.section({ api, el, lang: state.lang, fmtNumber, areaCode: a.code }));
    }
    // Only once signed in: an unauthenticated request would sign the user out mid-way.
    if (state.me && state.key && state.casustafel && window.GeoRiskEffects && !state.me.suppressed) {
      body.append(window.GeoRiskEffects.section({
        api, el, map, lang: state.lang, fmtNumber, fmtDate, casustafel: state.casustafel, areaCode: a.code,
        canEdit: ['admin', 'analyst', 'member'].includes(state.me?.role),
      }));
    }
  }

  function signalRow(r) {
    const statusLabel = t(`status.${r.followup_status}`) === `status.${r.followup_status}` ? r.followup_status : t(`status.${r.followup_status}`);
    const l = r.location ?? {};
    const where = l.lat !== null && l.lat !== undefined ? `${l.lat.toFixed(5)}, ${l.lon.toFixed(5)}` : (l.area_code ?? '–');
    const loc = `${where} · ${t(`precision.${l.precision}`)}`;
    const tr = el('tr', { class: 'signal-row', 'data-signal': r.signal_id, title: r.reason },
      el('td', { text: r.rank }), el('td', { text: categoryLabel(r.category) }),
      el('td', { class: 'loc', 'data-precision': l.precision, text: loc }),
      el('td', { text: fmtDate(r.observed_at) }), el('td', { text: r.corroborating_partners }),
      el('td', {}, statusEditor(r, statusLabel)));
    // A row with a point flies the map there (at most street level for coarse locations).
    if (map && l.lat !== null && l.lat !== undefined) {
      tr.querySelector('.loc').addEventListener('click', () => map.flyTo({ center: [l.lon, l.lat], zoom: l.precision === 'object' ? 17 : 15 }));
      tr.querySelector('.loc').classList.add('link');
    }
    return tr;
  }

  function statusEditor(r, statusLabel) {
    const next = r.next_statuses ?? [];
    if (!next.length) return el('span', { text: statusLabel });
    const select = el('select', { 'aria-label': t('setStatus') }, el('option', { value: '', text: statusLabel }),
      next.map((s) => el('option', { value: s, text: `→ ${t(`status.${s}`)}` })));
    const note = el('input', { type: 'text', maxlength: 280, placeholder: t('note'), hidden: true });
    const save = el('button', { type: 'button', text: t('save'), hidden: true });
    const msg = el('span', { class: 'small' });
    select.addEventListener('change', () => { note.hidden = save.hidden = !select.value; });
    save.addEventListener('click', async () => {
      try {
        await api(`/api/casustafels/${encodeURIComponent(state.casustafel)}/signals/${r.signal_id}/followup`, { method: 'POST', json: { status: select.value, note: note.value } });
        msg.textContent = t('saved');
        openArea(state.area.code, { keepView: true });
      } catch (e) { msg.textContent = e.message; msg.className = 'small error'; }
    });
    const history = el('button', { type: 'button', class: 'linkish', text: t('history'), onclick: () => showHistory(r) });
    return el('span', { class: 'status-editor' }, select, note, save, history, msg);
  }

  async function showHistory(r) {
    const box = $('followup-history') ?? el('section', { id: 'followup-history' });
    $('signal-list').append(box);
    box.replaceChildren(el('h3', { text: `${t('history')} · #${r.rank}` }), el('p', { text: t('loading') }));
    try {
      const state_ = await api(`/api/casustafels/${encodeURIComponent(state.casustafel)}/signals/${r.signal_id}/followup`);
      const items = state_.history ?? [];
      box.replaceChildren(el('h3', { text: `${t('history')} · #${r.rank}` }), items.length
        ? el('ol', { class: 'history' }, items.map((h) => el('li', {},
          el('strong', { text: `${t(`status.${h.from_status}`)} → ${t(`status.${h.to_status}`)}` }),
          ` · ${fmtDate(h.changed_at)} · ${h.actor}`, el('br'), h.note)))
        : el('p', { class: 'muted', text: t('noHistory') }));
      box.scrollIntoView({ block: 'nearest' });
    } catch (e) { box.replaceChildren(el('p', { class: 'error', text: t('errorLoading', { e: e.message }) })); }
  }

  async function download(kind) {
    const path = kind === 'csv'
      ? `/api/casustafels/${encodeURIComponent(state.casustafel)}/signaallijst.csv?${filterQuery({ area: state.area?.code, limit: 500 })}`
      : `/api/casustafels/${encodeURIComponent(state.casustafel)}/factsheet.pdf?${filterQuery({ area: state.area?.code, lang: state.lang })}`;
    try {
      const res = await api(path, { raw: true });
      const blob = await res.blob();
      const a = el('a', { href: URL.createObjectURL(blob), download: `${state.casustafel}-${state.area?.code ?? 'alle'}.${kind}` });
      document.body.append(a); a.click(); a.remove();
    } catch (e) { setStatus(t('errorLoading', { e: e.message })); }
  }

  // ---------- sign-in ----------
  function signOut() {
    sessionStorage.removeItem(KEY_STORAGE);
    state.key = null;
    if (!$('signin').open) $('signin').showModal();
  }

  async function signIn(key) {
    state.key = key;
    try {
      state.me = await api('/api/casustafels');
    } catch (e) {
      state.key = null;
      throw e;
    }
    sessionStorage.setItem(KEY_STORAGE, key);
  }

  async function start() {
    LAYERS = await window.GeoRiskTileCatalogue.load(api, LAYERS);
    const view = readHash();
    state.config = await api('/api/webmap/config').catch(() => ({}));
    try {
      const refs = await api('/api/categories');
      state.allCategories = Array.isArray(refs) ? refs : (refs.categories ?? refs.items ?? []);
    } catch { state.allCategories = []; }
    state.profile = await GeoRiskProfiles.fill($('profile'), { api, t, message: $('profile-message'), current: state.profile,
      fallback: 'riec-standaard', onChange: (name) => { state.profile = name; writeHash(); } });
    state.categories = state.categories.filter((c) => state.allCategories.length === 0 || state.allCategories.some((x) => x.code === c));
    renderCasustafels();
    await createMap(view);
    await addTileLayers();
    if (!view.center) zoomToCasustafel();
    state.restoring = false;
    await setLanguage(state.lang);
    if (state.area) openArea(state.area.code, { keepView: true });
    setStatus('');
    document.body.dataset.ready = 'true';
  }

  function wireControls() {
    $('lang').addEventListener('click', () => setLanguage(state.lang === 'nl' ? 'en' : 'nl'));
    $('signout').addEventListener('click', () => { signOut(); location.reload(); });
    $('panel-close').addEventListener('click', () => { window.GeoRiskEffects?.clear(map); state.area = null; setSelected(null); renderPanel(); writeHash(); });
    $('casustafel').addEventListener('change', (e) => {
      state.casustafel = e.target.value; state.area = null; setSelected(null); renderPanel(); zoomToCasustafel(); writeHash();
    });
    $('window').addEventListener('input', (e) => { state.windowMonths = parseInt(e.target.value, 10); renderWindowLabel(); });
    $('window').addEventListener('change', () => onFiltersChanged());
    $('profile').addEventListener('change', (e) => { state.profile = e.target.value.trim(); onFiltersChanged(); });
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
  }

  window.georisk = { state, openArea, get tileResponses() { return state.tileResponses; } };

  (async () => {
    readHash();
    $('profile').value = state.profile;
    state.restoring = true;
    await setLanguage(state.lang);
    wireControls();
    const saved = sessionStorage.getItem(KEY_STORAGE);
    if (saved) {
      try { await signIn(saved); await start(); return; } catch { /* fall through to the dialog */ }
    }
    $('signin').showModal();
  })();
})();
