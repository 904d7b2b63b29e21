// The MapLibre map: basemap, GeoRisk's vector tile layers, layer toggles, legend, area levels
// and the selected area. Clicks are routed to the area panel and to the popups by events.
import { state, ctx, $, el, on, emit, api, LAYERS, seesSignals } from './core.js';
import { t, has, fmtNumber } from './i18n.js';
import { filterQuery, writeHash } from './view.js';
import { scoreFilterNote } from './score-filter.js';

// Fixed, absolute class breaks on the score scale, which maps relative risk RR (observed /
// expected) to 100 · RR^γ / (1 + RR^γ), γ = log₂ 3: 25, 50, 75 and 90 are RR ½, 1, 2 and 4, so a
// colour always means the same RR, whatever is in view or which kind of area it is. Same classes
// and colours as the raster tiles' ramp (tiles/styles/areas.json) and the factsheet map.
export const SCORE_STEPS = [
  [0, '#ffffb2'], [25, '#fecc5c'], [50, '#fd8d3c'], [75, '#f03b20'], [90, '#bd0026'],
];
// Gi* classes: hot spots in magenta/purple and cold spots in blue, so that a hot spot stays
// visible over the red end of the score ramp; cells get a dark outline of their own.
export const GI_CLASSES = [
  ['hot99', '#7a0177', 3], ['hot95', '#c51b8a', 2], ['hot90', '#f768a1', 1],
  ['ns', 'rgba(0,0,0,0)', 0],
  ['cold90', '#9ecae1', -1], ['cold95', '#4292c6', -2], ['cold99', '#08306b', -3],
];
export const COLORS = { knelpunt: '#5b0a91', outline: '#555', gemeente: '#222', signal: '#1b7837', camera: '#0571b0', incident: '#e66101' };

/** Area levels: one is filled at a time, the others are outlines. */
export const LEVELS = ['casustafel', 'gebied', 'gemeente', 'wijk', 'buurt'];
const LEVEL_KINDS = { gemeente: ['gemeente'], wijk: ['wijk'], buurt: ['buurt'], gebied: ['mainport', 'bedrijventerrein', 'buitengebied', 'postcode', 'custom'] };

export const currentCasustafel = () => state.me?.casustafels.find((c) => c.id === state.casustafel) ?? null;
export const defaultLevel = () => (currentCasustafel() ? 'casustafel' : 'gebied');
export const level = () => (LEVELS.includes(state.level) && (state.level !== 'casustafel' || currentCasustafel()) ? state.level : defaultLevel());

/** MapLibre filter: the areas of the chosen level. */
function levelFilter() {
  const lv = level();
  if (lv === 'casustafel') return ['in', ['get', 'code'], ['literal', (currentCasustafel()?.areas ?? []).map((a) => a.code)]];
  return ['in', ['get', 'kind'], ['literal', LEVEL_KINDS[lv]]];
}

function baseStyle() {
  const style = { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }] };
  const bm = state.config?.basemap;
  if (bm?.url) {
    if (bm.type === 'style') return bm.url; // a full MapLibre style URL (vector basemap)
    style.sources.basemap = { type: 'raster', tiles: [bm.url], tileSize: bm.tileSize || 256, attribution: bm.attribution || '', maxzoom: bm.maxZoom || 19 };
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

export function tileUrl(template) {
  const abs = new URL(template, location.origin).toString().replaceAll('%7B', '{').replaceAll('%7D', '}');
  return abs + (abs.includes('?') ? '&' : '?') + filterQuery();
}

/** Style layers of a group (areas, hexbins, ...), optionally only those whose id ends with `suffix`. */
export function groupLayers(group, suffix) {
  if (!ctx.map) return [];
  return ctx.map.getStyle().layers.filter((l) => l.metadata?.group === group && (!suffix || l.id.endsWith(suffix))).map((l) => l.id);
}

export async function addTileLayers() {
  const map = ctx.map;
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
  // Hot spots above every area fill, whatever order the TileJSONs arrived in.
  for (const id of [...groupLayers('hexbins'), ...groupLayers('cameras'), ...groupLayers('incidents'), ...groupLayers('signals')]) map.moveLayer(id);
  applyLayerVisibility(); renderToggles(); renderLegend();
}

function addStyleLayers(name, sl) {
  const map = ctx.map;
  const polygon = ['==', ['geometry-type'], 'Polygon'];
  const point = ['==', ['geometry-type'], 'Point'];
  const id = (suffix) => `${name}-${sl ?? 'geojson'}-${suffix}`;
  const add = (layer) => map.addLayer({ source: name, ...(sl ? { 'source-layer': sl } : {}), ...layer, id: id(layer.id), metadata: { group: name } });
  if (name === 'areas') {
    const score = ['to-number', ['coalesce', ['get', 'score'], -1], -1];
    const ramp = ['step', score, '#d9d9d9'];
    SCORE_STEPS.forEach(([v, c]) => ramp.push(v, c));
    const flagged = ['any', ['==', ['get', 'flagged'], true], ['==', ['get', 'flag'], true], ['==', ['get', 'knelpunt'], true]];
    add({ id: 'fill', type: 'fill', filter: ['all', polygon, levelFilter()], paint: { 'fill-color': ramp, 'fill-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 0.8, 0.55] } });
    // Outlines of every level: the filled level heavier, the others thin and dashed-looking grey.
    add({ id: 'line', type: 'line', filter: polygon, paint: { 'line-color': ['match', ['get', 'kind'], 'gemeente', COLORS.gemeente, COLORS.outline], 'line-width': ['match', ['get', 'kind'], 'gemeente', 2, 0.6], 'line-opacity': 0.7 } });
    add({ id: 'level-line', type: 'line', filter: ['all', polygon, levelFilter()], paint: { 'line-color': '#333', 'line-width': 1.4 } });
    add({ id: 'knelpunt', type: 'line', filter: ['all', polygon, flagged, levelFilter()], paint: { 'line-color': COLORS.knelpunt, 'line-width': 3.5 } });
    add({ id: 'selected', type: 'line', filter: polygon, paint: { 'line-color': '#000', 'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 0] } });
  } else if (name === 'hexbins') {
    giStyleLayers(add);
  } else if (name === 'signals') {
    const count = ['to-number', ['coalesce', ['get', 'n'], ['get', 'count'], 1], 1];
    add({ id: 'circle', type: 'circle', filter: point, paint: { 'circle-color': COLORS.signal, 'circle-opacity': 0.85, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1, 'circle-radius': ['interpolate', ['linear'], count, 1, 5, 10, 7, 100, 12, 1000, 18] } });
  } else if (name === 'gelegenheidskaart') {
    window.GeoRiskRtm?.styleLayers(add, polygon);
  } else if (name === 'coverage') {
    window.GeoRiskPorts?.styleLayers(add);
  } else if (name === 'cameras') {
    add({ id: 'viewshed', type: 'fill', filter: polygon, paint: { 'fill-color': COLORS.camera, 'fill-opacity': 0.18, 'fill-outline-color': COLORS.camera } });
    add({ id: 'point', type: 'circle', filter: point, paint: { 'circle-color': COLORS.camera, 'circle-radius': 5, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
  } else if (name === 'incidents') {
    add({ id: 'fill', type: 'fill', filter: polygon, paint: { 'fill-color': COLORS.incident, 'fill-opacity': 0.3 } });
    add({ id: 'point', type: 'circle', filter: point, paint: { 'circle-color': COLORS.incident, 'circle-radius': 5, 'circle-stroke-color': '#000', 'circle-stroke-width': 0.5 } });
  } else {
    window.GeoRiskTileCatalogue.addStyle(name, add);
  }
}

/** Hexagon cells coloured by their Gi* class (gi_class -3…3): the grid's and an area's hot spots alike. */
export function giStyleLayers(add) {
  const polygon = ['==', ['geometry-type'], 'Polygon'];
  const cls = ['to-number', ['coalesce', ['get', 'gi_class'], 0], 0];
  const colour = ['match', cls];
  for (const [, c, v] of GI_CLASSES) colour.push(v, c);
  colour.push('rgba(0,0,0,0)');
  const significant = ['!=', cls, 0];
  add({ id: 'fill', type: 'fill', filter: polygon, paint: { 'fill-color': colour, 'fill-opacity': 0.85 } });
  // A white halo under a dark edge: readable over yellow and over dark red alike.
  add({ id: 'halo', type: 'line', filter: ['all', polygon, significant], paint: { 'line-color': '#ffffff', 'line-width': 3.5 } });
  add({ id: 'edge', type: 'line', filter: ['all', polygon, significant], paint: { 'line-color': ['case', ['>', cls, 0], '#3f007d', '#08306b'], 'line-width': 1.5 } });
}

/**
 * A module that draws a group in place of another (area-hotspots.js: an area's Gi* instead of the
 * grid's) says here whether a group is shown (group → () => boolean) and writes its legend
 * (group → (box, swatch) => true when it wrote it); otherwise a group follows its toggle.
 */
export const overrides = { visible: {}, legend: {} };
const groupVisible = (group) => (overrides.visible[group] ? overrides.visible[group]() : state.layers.has(group));

/** Re-applies the level filter (after a level switch or another casustafel). */
export function applyLevel() {
  const map = ctx.map;
  if (!map) return;
  const polygon = ['==', ['geometry-type'], 'Polygon'];
  const flagged = ['any', ['==', ['get', 'flagged'], true], ['==', ['get', 'flag'], true], ['==', ['get', 'knelpunt'], true]];
  for (const id of groupLayers('areas', '-fill')) map.setFilter(id, ['all', polygon, levelFilter()]);
  for (const id of groupLayers('areas', '-level-line')) map.setFilter(id, ['all', polygon, levelFilter()]);
  for (const id of groupLayers('areas', '-knelpunt')) map.setFilter(id, ['all', polygon, flagged, levelFilter()]);
  // Over hot spots the score fill steps back, so neither hides the other.
  for (const id of groupLayers('areas', '-fill')) {
    const base = state.layers.has('hexbins') ? 0.35 : 0.55;
    map.setPaintProperty(id, 'fill-opacity', ['case', ['boolean', ['feature-state', 'selected'], false], 0.8, base]);
  }
}

export function refreshTiles() {
  if (!ctx.map) return;
  for (const name of state.available) {
    const src = ctx.map.getSource(name);
    if (src?.setTiles && src.georiskTemplate) src.setTiles([tileUrl(src.georiskTemplate)]);
  }
}

export function applyLayerVisibility() {
  if (!ctx.map) return;
  for (const layer of ctx.map.getStyle().layers) {
    const group = layer.metadata?.group;
    if (group) ctx.map.setLayoutProperty(layer.id, 'visibility', groupVisible(group) ? 'visible' : 'none');
  }
  applyLevel();
}

export function visibleLayerNames() {
  return LAYERS.filter((n) => n !== 'signals' || seesSignals());
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
    const text = has(`layer.${name}`) ? t(`layer.${name}`) : (window.GeoRiskTileCatalogue.label(name, state.lang) ?? name);
    box.append(el('label', { class: `check${available ? '' : ' muted'}`, for: `toggle-${name}` }, input, ` ${text}`));
  }
}

function renderLevels() {
  const select = $('level');
  if (!select) return;
  select.replaceChildren(...LEVELS.filter((lv) => lv !== 'casustafel' || currentCasustafel())
    .map((lv) => el('option', { value: lv, text: t(`level.${lv}`) })));
  select.value = level();
}

/** Hexagon size in view: from the cells the tiles delivered at this zoom. */
function hexCellSize() {
  if (!ctx.map || !state.available.has('hexbins')) return null;
  const f = ctx.map.querySourceFeatures('hexbins', { sourceLayer: 'hexbins' }).find((x) => x.properties.size_m);
  return f ? Number(f.properties.size_m) : null;
}

function swatch(style) { return el('span', { class: 'swatch', style, 'aria-hidden': 'true' }); }
export function renderLegend() {
  const box = $('legend'); box.replaceChildren();
  const shown = (n) => state.layers.has(n) && (state.available.has(n) || !ctx.map);
  if (shown('areas')) {
    box.append(el('div', { class: 'legend-title', text: t('legend.score') }));
    SCORE_STEPS.forEach(([v, c], i) => {
      const upper = i + 1 < SCORE_STEPS.length ? SCORE_STEPS[i + 1][0] : 100;
      box.append(el('div', { class: 'legend-row' }, swatch(`background:${c}`), ` ${v}–${upper} · ${t(`legend.rr${i}`)}`));
    });
    box.append(el('div', { class: 'legend-row' }, swatch('background:#d9d9d9'), ` ${t('legend.noScore')}`));
    box.append(el('div', { class: 'legend-row' }, swatch(`background:transparent;border:3px solid ${COLORS.knelpunt}`), ` ${t('legend.knelpunt')}`));
    box.append(...scoreFilterNote());
  }
  if (shown('hexbins') && !overrides.legend.hexbins?.(box, swatch)) {
    box.append(el('div', { class: 'legend-title', text: t('legend.hexbins') }));
    for (const [key, c] of GI_CLASSES) {
      box.append(el('div', { class: 'legend-row' }, swatch(key === 'ns' ? 'background:transparent;border:1px dashed #767676'
        : `background:${c};outline:1.5px solid ${key.startsWith('hot') ? '#3f007d' : '#08306b'}`), ` ${t(`gi.${key}`)}`));
    }
    const size = hexCellSize();
    box.append(el('div', { class: 'legend-row', id: 'legend-cell-size', text: size ? t('legend.cellSize', { m: fmtNumber(size, 0) }) : t('legend.cellSizeZoom') }));
  }
  if (shown('signals') && visibleLayerNames().includes('signals')) {
    box.append(el('div', { class: 'legend-row' }, swatch(`background:${COLORS.signal};border-radius:50%`), ` ${t('legend.signals')}`));
    box.append(el('div', { class: 'legend-row' }, swatch(`background:${COLORS.signal};border-radius:50%;width:18px;height:18px`), ` ${t('legend.signalsCluster')}`));
  }
  if (shown('cameras')) box.append(el('div', { class: 'legend-row' }, swatch(`background:${COLORS.camera}33;border:1px solid ${COLORS.camera}`), ` ${t('legend.cameras')}`));
  if (shown('incidents')) box.append(el('div', { class: 'legend-row' }, swatch(`background:${COLORS.incident};border-radius:50%`), ` ${t('legend.incidents')}`));
  if (shown('gelegenheidskaart')) window.GeoRiskRtm?.legend(box, el, swatch, state.lang);
  if (shown('coverage')) window.GeoRiskPorts?.legend(box, el, swatch, t);
}

function renderBasemapNote() {
  const bm = state.config?.basemap;
  $('basemap-note').textContent = bm?.url ? t('basemapAttribution', { a: bm.attribution || bm.url }) : t('basemapNone');
}

let selectedId = null;
export function setSelected(code) {
  emit('selected', code);
  const map = ctx.map;
  if (!map || !state.available.has('areas')) return;
  const layer = map.getStyle().layers.find((l) => l.metadata?.group === 'areas');
  if (!layer) return;
  const target = (id) => ({ source: 'areas', ...(layer['source-layer'] ? { sourceLayer: layer['source-layer'] } : {}), id });
  if (selectedId !== null) map.setFeatureState(target(selectedId), { selected: false });
  selectedId = code;
  if (code !== null) map.setFeatureState(target(code), { selected: true });
}

export function zoomToCasustafel() {
  const ct = currentCasustafel();
  if (ct?.bbox && ctx.map) ctx.map.fitBounds([[ct.bbox[0], ct.bbox[1]], [ct.bbox[2], ct.bbox[3]]], { padding: 40, duration: 0 });
}

export function createMap(view) {
  const map = new maplibregl.Map({
    container: 'map', style: baseStyle(), transformRequest,
    center: view.center || [4.9, 52.37], zoom: view.zoom ?? 11, minZoom: 5, maxZoom: 19,
    attributionControl: { compact: true },
  });
  ctx.map = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  window.georisk.map = map;
  map.on('sourcedata', (e) => {
    if (e.tile && e.sourceId && LAYERS.includes(e.sourceId) && e.dataType === 'source') state.tileResponses += 1;
  });
  map.on('moveend', writeHash);
  map.on('idle', () => { const cell = $('legend-cell-size'); if (cell) { const s = hexCellSize(); cell.textContent = s ? t('legend.cellSize', { m: fmtNumber(s, 0) }) : t('legend.cellSizeZoom'); } });
  map.on('click', (e) => emit('map:click', e));
  map.on('mousemove', (e) => {
    const layers = clickableLayers();
    map.getCanvas().style.cursor = layers.length && map.queryRenderedFeatures(e.point, { layers }).length ? 'pointer' : '';
  });
  return new Promise((resolve) => map.on('load', resolve));
}

/** Every style layer that reacts to a click (area fills and the overlay layers). */
export function clickableLayers() {
  return ctx.map.getStyle().layers.filter((l) => l.metadata?.group && ctx.map.getLayoutProperty(l.id, 'visibility') !== 'none'
    && (l.metadata.group !== 'areas' || l.id.endsWith('-fill')) && !/-(halo|edge)$/.test(l.id)).map((l) => l.id);
}

export function wireMapControls() {
  $('level')?.addEventListener('change', (e) => { state.level = e.target.value; applyLevel(); writeHash(); emit('level'); });
  on('language', () => { renderToggles(); renderLegend(); renderBasemapNote(); renderLevels(); });
  on('filters', () => { refreshTiles(); renderLegend(); });
  on('casustafel', () => { renderLevels(); applyLevel(); });
}
export { renderLevels };
