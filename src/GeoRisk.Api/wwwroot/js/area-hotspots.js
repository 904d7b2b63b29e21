// An open area's hot spots as the hot-spot endpoint computes them (GET /api/areas/{code}/hotspots:
// Gi* over the area's own cells, Benjamini-Hochberg adjusted p), drawn from the server's `hotspots`
// tiles for the map's period and categories. Without an open area the `hexbins` layer draws the
// whole grid's approximation with its own legend. Both follow the one toggle "Hotspots (Gi*)".
import { state, ctx, el, on, api } from './core.js';
import { t, fmtNumber } from './i18n.js';
import { GI_CLASSES, giStyleLayers, overrides, applyLayerVisibility, renderLegend, tileUrl } from './map.js';

const SOURCE = 'hotspots';
let tileJson = null;
let drawnUrl = null;

/** The area whose hot spots are drawn; null when none is open or the server has no hotspots tiles. */
const drawnArea = () => (tileJson && state.area?.code ? state.area.code : null);
const active = () => Boolean(drawnArea() && state.layers.has('hexbins'));

function url(code) {
  return `${tileUrl(tileJson.tiles[0])}&area=${encodeURIComponent(code)}`;
}

function update() {
  const map = ctx.map;
  if (!map || !tileJson) return;
  const code = drawnArea();
  const source = map.getSource(SOURCE);
  if (code && !source) {
    drawnUrl = url(code);
    map.addSource(SOURCE, { type: 'vector', tiles: [drawnUrl], minzoom: tileJson.minzoom ?? 0, maxzoom: tileJson.maxzoom ?? 22 });
    // Right above the grid's cells: under points, cameras and incidents.
    const above = map.getStyle().layers.find((l) => ['cameras', 'incidents', 'signals'].includes(l.metadata?.group))?.id;
    const sourceLayer = tileJson.vector_layers?.[0]?.id ?? SOURCE;
    giStyleLayers((layer) => map.addLayer({ source: SOURCE, 'source-layer': sourceLayer, ...layer, id: `${SOURCE}-${layer.id}`, metadata: { group: SOURCE } }, above));
  } else if (code && drawnUrl !== url(code)) {
    drawnUrl = url(code);
    source.setTiles([drawnUrl]);
  }
  applyLayerVisibility();
  renderLegend();
}

/** Cell size of the drawn hot spots at this zoom, from the tiles. */
function cellSize() {
  const f = ctx.map?.getSource(SOURCE) ? ctx.map.querySourceFeatures(SOURCE, { sourceLayer: tileJson.vector_layers?.[0]?.id ?? SOURCE }).find((x) => x.properties.size_m) : null;
  return f ? Number(f.properties.size_m) : null;
}

function legend(box, swatch) {
  if (!active()) return false;
  box.append(el('div', { class: 'legend-title', id: 'legend-hotspots', text: t('legend.areaHotspots', { area: state.area.name ?? state.area.code }) }));
  for (const [key, c] of GI_CLASSES) {
    box.append(el('div', { class: 'legend-row' }, swatch(key === 'ns' ? 'background:transparent;border:1px dashed #767676'
      : `background:${c};outline:1.5px solid ${key.startsWith('hot') ? '#3f007d' : '#08306b'}`), ` ${t(`gi.${key}`)}`));
  }
  const size = cellSize();
  box.append(el('div', { class: 'legend-row', id: 'legend-cell-size', text: size ? t('legend.cellSize', { m: fmtNumber(size, 0) }) : t('legend.cellSizeZoom') }));
  if (state.me?.suppressed) box.append(el('div', { class: 'legend-row small', text: t('legend.areaHotspotsMonths') }));
  return true;
}

export function wireAreaHotspots() {
  overrides.visible.hexbins = () => state.layers.has('hexbins') && !active();
  overrides.visible[SOURCE] = active;
  overrides.legend.hexbins = legend;
  on('started', async () => {
    tileJson = await api(`/tiles/${SOURCE}.json`).catch(() => null);
    if (!tileJson?.tiles?.length) tileJson = null;
    // After the grid's own handler (map.js): the cell size of what is drawn.
    ctx.map?.on('idle', () => {
      const cell = active() ? document.getElementById('legend-cell-size') : null;
      const size = cell ? cellSize() : null;
      if (size) cell.textContent = t('legend.cellSize', { m: fmtNumber(size, 0) });
    });
    update();
  });
  on('selected', () => update());
  // The area's name arrives with its data, after it was selected.
  on('area', () => update());
  on('filters', () => update());
}
