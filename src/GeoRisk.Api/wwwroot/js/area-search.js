// "Zoek gebied": every area the key may see, searchable by name or code. It is the keyboard
// way to open an area (the map itself needs a pointer) and a shortcut for mouse users too.
import { state, ctx, $, el, on, api } from './core.js';
import { tn, tOr } from './i18n.js';
import { openArea } from './panel.js';
import { LEVELS, applyLevel, renderLevels } from './map.js';
import { writeHash } from './view.js';
import { closeDrawer, isNarrow } from './layout.js';

const MAX_RESULTS = 12;
let areas = [];

function bboxOf(geometry) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => { if (typeof c[0] === 'number') { b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]); } else c.forEach(walk); };
  if (geometry?.coordinates) walk(geometry.coordinates);
  return Number.isFinite(b[0]) ? b : null;
}

async function load() {
  try {
    const fc = await api('/api/areas');
    areas = (fc.features ?? []).map((f) => ({ code: f.properties.code, name: f.properties.name, kind: f.properties.kind, bbox: bboxOf(f.geometry) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  } catch { areas = []; }
  render();
}

const normal = (s) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

function matches(query) {
  const q = normal(query.trim());
  const mine = new Set((state.me?.casustafels.find((c) => c.id === state.casustafel)?.areas ?? []).map((a) => a.code));
  const hits = q ? areas.filter((a) => normal(a.name).includes(q) || normal(a.code).includes(q)) : areas.filter((a) => mine.has(a.code));
  return hits.slice(0, MAX_RESULTS);
}

/** The level whose fill shows `kind` (so a chosen buurt is filled, not hidden under its wijk). */
function levelOf(code, kind) {
  const mine = state.me?.casustafels.find((c) => c.id === state.casustafel)?.areas?.some((a) => a.code === code);
  if (state.level === 'casustafel' && mine) return 'casustafel';
  if (['gemeente', 'wijk', 'buurt'].includes(kind)) return kind;
  return mine ? 'casustafel' : 'gebied';
}

export function choose(a) {
  const lv = levelOf(a.code, a.kind);
  if (LEVELS.includes(lv) && lv !== state.level) { state.level = lv; applyLevel(); renderLevels(); }
  if (a.bbox && ctx.map) ctx.map.fitBounds([[a.bbox[0], a.bbox[1]], [a.bbox[2], a.bbox[3]]], { padding: 40, duration: 0, maxZoom: 16 });
  if (isNarrow()) closeDrawer({ restoreFocus: false });
  openArea(a.code).then(() => $('area-name')?.focus());
  writeHash();
}

function render() {
  const list = $('area-results');
  const hits = matches($('area-search').value);
  list.replaceChildren(...hits.map((a) => el('li', {}, el('button', {
    type: 'button', class: 'area-result', 'data-code': a.code, onclick: () => choose(a),
  }, el('span', { text: a.name }), el('span', { class: 'muted small', text: ` ${a.code} · ${tOr(`kind.${a.kind}`, a.kind)}` })))));
  $('area-count').textContent = tn('areasFound', hits.length);
}

export function wireAreaSearch() {
  $('area-search').addEventListener('input', render);
  $('area-search').addEventListener('keydown', (e) => {
    // Enter opens the first hit; arrow down moves into the list.
    if (e.key === 'Enter') { e.preventDefault(); $('area-results').querySelector('button')?.click(); }
    if (e.key === 'ArrowDown') { e.preventDefault(); $('area-results').querySelector('button')?.focus(); }
  });
  $('area-results').addEventListener('keydown', (e) => {
    if (!['ArrowDown', 'ArrowUp'].includes(e.key)) return;
    const buttons = [...$('area-results').querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    e.preventDefault();
    if (e.key === 'ArrowUp' && i <= 0) $('area-search').focus();
    else buttons[Math.min(buttons.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  });
  on('started', load);
  on('language', () => { if (areas.length) render(); });
  on('casustafel', render);
}
