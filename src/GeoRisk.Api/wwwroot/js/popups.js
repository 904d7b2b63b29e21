// Click popups for every layer: camera, incident, signal (point or cell) and hot-spot cell
// (Gi* z, p, class, count and cell size). A click on an area opens it in the panel.
import { state, ctx, el, on, emit } from './core.js';
import { t, tOr, fmtNumber, categoryLabel, incidentKindLabel } from './i18n.js';
import { clickableLayers, GI_CLASSES } from './map.js';
import { openArea } from './panel.js';
import { onEscape } from './layout.js';

let popup = null;

// Standard normal upper tail (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7): the two-sided
// p-value of a Gi* z-score, before the FDR correction that decides the class.
function pTwoSided(z) {
  const x = Math.abs(z) / Math.SQRT2;
  const k = 1 / (1 + 0.3275911 * x);
  const erfc = k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429)))) * Math.exp(-x * x);
  return Math.min(1, erfc);
}

const fmtP = (p) => (p < 0.001 ? `< ${fmtNumber(0.001, 3)}` : fmtNumber(p, 3, 3));

function rows(pairs) {
  return el('dl', { class: 'popup-list' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .flatMap(([k, v]) => [el('dt', { text: t(k) }), el('dd', { text: String(v) })]));
}

/** Popup content for a feature of one of the overlay layers; null for areas. */
export function describe(f) {
  const p = f.properties ?? {};
  const group = f.layer?.metadata?.group;
  if (group === 'hexbins' || group === 'hotspots') {
    const cls = Number(p.gi_class ?? 0);
    const key = GI_CLASSES.find(([, , v]) => v === cls)?.[0] ?? 'ns';
    const z = Number(p.gi_z);
    // An area's hot spots carry the FDR-adjusted p that decided their class; the grid's only z.
    const adjusted = group === 'hotspots' ? Number(p.p_adjusted) : null;
    const pText = adjusted !== null ? (Number.isFinite(adjusted) ? fmtP(adjusted) : '–') : (Number.isFinite(z) ? fmtP(pTwoSided(z)) : '–');
    return [el('h3', { text: t('popup.hexbin') }), rows([
      ['popup.class', t(`gi.${key}`)], ['popup.z', Number.isFinite(z) ? fmtNumber(z, 2, 2) : '–'],
      [adjusted !== null ? 'popup.pAdjusted' : 'popup.p', pText], ['popup.count', p.n === undefined ? null : fmtNumber(p.n, 0)],
      ['popup.rate', p.rate_km2 !== undefined ? t('perKm2', { v: fmtNumber(p.rate_km2, 1) }) : null],
      ['popup.cellSize', p.size_m ? t('popup.cellSizeValue', { m: fmtNumber(p.size_m, 0) }) : null],
    ]), el('p', { class: 'small muted', text: t(adjusted !== null ? 'popup.pAdjustedNote' : 'popup.pNote') })];
  }
  if (group === 'cameras') {
    const sl = f.layer['source-layer'];
    return [el('h3', { text: t(sl === 'viewsheds' ? 'popup.viewshed' : 'popup.camera') }), rows([
      ['popup.id', p.id], ['popup.owner', p.owner],
      ['popup.heading', p.heading !== undefined ? `${fmtNumber(p.heading, 0)}°` : null],
      ['popup.fov', p.fov !== undefined ? `${fmtNumber(p.fov, 0)}°` : null],
      ['popup.range', p.range !== undefined ? `${fmtNumber(p.range, 0)} m` : null],
      ['popup.status', p.status ? tOr(`cameraStatus.${p.status}`, p.status) : null], ['popup.programme', p.programme],
    ])];
  }
  if (group === 'incidents') {
    return [el('h3', { text: t('popup.incident') }), rows([
      ['popup.kind', incidentKindLabel(p.kind)], ['popup.month', p.month], ['popup.dataset', p.dataset], ['popup.programme', p.programme],
    ])];
  }
  if (group === 'coverage') {
    const incident = p.what === 'incident';
    return [el('h3', { text: t(incident ? 'ports.incident' : 'popup.signal') }), rows([
      [incident ? 'ports.kind' : 'popup.category', incident ? incidentKindLabel(p.code) : categoryLabel(p.code)],
      ['popup.month', p.month], ['ports.covered', t(String(p.covered) === 'true' ? 'ports.yes' : 'ports.no')],
    ])];
  }
  if (group === 'signals') {
    if (f.layer['source-layer'] === 'signal_cells') {
      return [el('h3', { text: t('popup.signalCell') }), rows([
        ['popup.count', fmtNumber(p.n, 0)], ['popup.categories', fmtNumber(p.categories, 0)], ['popup.weight', fmtNumber(p.weight, 2)],
      ])];
    }
    return [el('h3', { text: t('popup.signal') }), rows([
      ['popup.category', categoryLabel(p.category)], ['popup.month', p.month],
      ['popup.reliability', fmtNumber(p.reliability, 2)], ['popup.precision', tOr(`precision.${p.precision}`, p.precision)],
    ])];
  }
  return null;
}

function onClick(e) {
  const map = ctx.map;
  // The port view (ports.js) answers clicks on its own points with its own popup.
  if (window.GeoRiskPorts?.click(e)) { popup?.remove(); popup = null; return; }
  const layers = clickableLayers();
  if (!layers.length) return;
  const hits = map.queryRenderedFeatures(e.point, { layers });
  popup?.remove(); popup = null;
  // Points first (they sit on top), then hot-spot cells, then viewsheds and incident polygons.
  const order = (f) => (f.geometry.type === 'Point' ? 0 : ['hexbins', 'hotspots'].includes(f.layer.metadata.group) ? 1 : f.layer.metadata.group === 'areas' ? 3 : 2);
  const overlay = hits.filter((f) => f.layer.metadata.group !== 'areas').sort((a, b) => order(a) - order(b))[0];
  if (overlay) {
    const content = describe(overlay);
    popup = new maplibregl.Popup({ closeButton: true, maxWidth: '280px', className: 'georisk-popup' })
      .setLngLat(e.lngLat).setDOMContent(el('div', { class: 'popup', 'data-layer': overlay.layer.metadata.group }, content)).addTo(map);
    popup.getElement().querySelector('.maplibregl-popup-close-button')?.setAttribute('aria-label', t('close'));
  }
  // A point popup is the answer; a cell or polygon overlay still opens the area underneath.
  if (overlay && overlay.geometry.type === 'Point') return;
  const area = hits.find((f) => f.layer.metadata.group === 'areas');
  const code = area?.properties.code ?? area?.id;
  if (code) openArea(String(code));
}

export function wirePopups() {
  on('map:click', onClick);
  on('language', () => { popup?.remove(); popup = null; });
  onEscape(() => { if (!popup) return false; popup.remove(); popup = null; return true; }, 0);
  window.georisk.popupText = () => popup?.getElement()?.innerText ?? null;
  emit('popups-ready');
}
