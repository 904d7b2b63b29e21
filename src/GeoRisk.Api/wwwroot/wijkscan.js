// The wijkscan view: a stored scan of every wijk or buurt of a gemeente on the map (one level
// at a time), a ranked table that sorts and selects, the change against the nulmeting, and small
// multiples per category. Data: /api/scans (docs/wijkscan.md); the API key is the one the map
// page stored in this tab's session.
(() => {
  const KEY_STORAGE = 'georisk.apiKey';
  const RR_STEPS = [[0, '#2166ac'], [0.5, '#92c5de'], [0.8, '#f7f7f7'], [1.25, '#f4a582'], [2, '#b2182b']];
  const NO_VALUE = '#bdbdbd';
  const state = { key: sessionStorage.getItem(KEY_STORAGE), lang: 'nl', dict: {}, scans: [], level: 'buurt', scan: null, areas: null,
    comparison: null, categories: [], mode: 'rr', sort: { col: 'rank', dir: 1 }, selected: null, ready: false };
  const $ = (id) => document.getElementById(id);
  let map = null;

  const t = (key, vars = {}) => (state.dict[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');
  const fmt = (v, d = 2) => (v === null || v === undefined ? '–' : Number(v).toLocaleString(state.lang === 'en' ? 'en-GB' : 'nl-NL', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const count = (c) => (!c ? '–' : c.suppressed ? '<k' : String(c.value));

  async function api(path) {
    const res = await fetch(path, { headers: state.key ? { Authorization: `Bearer ${state.key}` } : {} });
    if (!res.ok) { const e = new Error(`${res.status}`); e.status = res.status; throw e; }
    return res.json();
  }

  async function setLanguage(lang) {
    state.lang = lang;
    state.dict = await (await fetch(`i18n/${lang}.json`)).json();
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    $('lang').textContent = lang === 'nl' ? 'EN' : 'NL';
    if (state.scan) { renderTable(); renderLegend(); renderSelected(); renderMultiples(); }
    document.dispatchEvent(new CustomEvent('wijkscan:render'));
  }

  function colour(v) {
    if (v === null || v === undefined) return NO_VALUE;
    let c = RR_STEPS[0][1];
    for (const [from, col] of RR_STEPS) if (v >= from) c = col;
    return c;
  }

  // The value a sub-area is coloured by: RR against the gemeente, or the change in RR against the nulmeting.
  function value(code) {
    if (state.mode === 'change') return state.comparison?.byCode[code]?.rr_ratio ?? null;
    return state.scan.byCode[code]?.rr_parent ?? null;
  }

  function hatchImage() {
    const size = 8; const c = document.createElement('canvas'); c.width = size; c.height = size;
    const g = c.getContext('2d'); g.strokeStyle = 'rgba(0,0,0,0.75)'; g.lineWidth = 1.5;
    g.beginPath(); g.moveTo(0, size); g.lineTo(size, 0); g.stroke();
    return g.getImageData(0, 0, size, size);
  }

  function createMap() {
    map = new maplibregl.Map({
      container: 'map',
      style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }] },
      center: [4.86, 52.3], zoom: 11, attributionControl: false,
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    return new Promise((resolve) => map.on('load', () => {
      map.addImage('hatch', hatchImage());
      map.addSource('subareas', { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'code' });
      map.addLayer({ id: 'subareas-fill', type: 'fill', source: 'subareas', paint: { 'fill-color': ['get', 'fill'], 'fill-opacity': 0.85 } });
      map.addLayer({ id: 'subareas-hatch', type: 'fill', source: 'subareas', filter: ['==', ['get', 'significant'], true], paint: { 'fill-pattern': 'hatch' } });
      map.addLayer({ id: 'subareas-line', type: 'line', source: 'subareas', paint: { 'line-color': ['case', ['get', 'kandidaat'], '#5b0a91', '#666666'], 'line-width': ['case', ['get', 'kandidaat'], 2.5, 0.7] } });
      map.addLayer({ id: 'subareas-selected', type: 'line', source: 'subareas', filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#000000', 'line-width': 4 } });
      map.on('click', 'subareas-fill', (e) => { if (e.features?.length) select(e.features[0].properties.code, { fly: false }); });
      map.on('mouseenter', 'subareas-fill', () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', 'subareas-fill', () => { map.getCanvas().style.cursor = ''; });
      resolve();
    }));
  }

  function renderScanOptions() {
    const sel = $('ws-scan');
    sel.replaceChildren();
    const scans = state.scans.filter((s) => s.level === state.level);
    for (const s of scans) {
      const o = document.createElement('option');
      o.value = s.name;
      o.textContent = `${s.parent_name} · ${s.name}${s.is_baseline ? ` (${t('wijkscan.baseline')})` : ''}`;
      sel.append(o);
    }
    if (scans.length === 0) setStatus(t('wijkscan.noScans'));
    return scans;
  }

  async function loadScan(name) {
    state.selected = null;
    const [scan, areas] = await Promise.all([api(`/api/scans/${encodeURIComponent(name)}`), api(`/api/scans/${encodeURIComponent(name)}/areas`)]);
    scan.byCode = Object.fromEntries(scan.rows.map((r) => [r.code, r]));
    state.scan = scan; state.areas = areas;
    try {
      const c = await api(`/api/scans/${encodeURIComponent(name)}/comparison`);
      c.byCode = {};
      for (const ch of c.changes) for (const code of ch.later_codes) c.byCode[code] = ch;
      state.comparison = c;
    } catch { state.comparison = null; }
    $('ws-pdf').href = `#`; $('ws-csv').href = '#';
    paint();
    const b = bounds(areas.features);
    if (b) map.fitBounds(b, { padding: 20, duration: 0 });
    renderTable(); renderLegend(); renderSelected(); renderMultiples();
    setStatus('');
    document.dispatchEvent(new CustomEvent('wijkscan:render'));
  }

  function paint() {
    const features = state.areas.features.map((f) => {
      const code = f.properties.code;
      const row = state.scan.byCode[code];
      const ch = state.comparison?.byCode[code];
      return { ...f, properties: { ...f.properties, fill: colour(value(code)), kandidaat: Boolean(row?.kandidaat),
        significant: state.mode === 'change' && Boolean(ch && ch.class.startsWith('significant')) } };
    });
    map.getSource('subareas').setData({ type: 'FeatureCollection', features });
  }

  function bounds(features, only) {
    let b = null;
    const walk = (c) => { if (typeof c[0] === 'number') { b = b ? [[Math.min(b[0][0], c[0]), Math.min(b[0][1], c[1])], [Math.max(b[1][0], c[0]), Math.max(b[1][1], c[1])]] : [[c[0], c[1]], [c[0], c[1]]]; } else c.forEach(walk); };
    for (const f of features) if (!only || f.properties.code === only) walk(f.geometry.coordinates);
    return b;
  }

  function sortedRows() {
    const { col, dir } = state.sort;
    const key = (r) => ({ rank: r.rank, name: r.name, signals: r.signal_count?.value ?? -1, rr: r.rr_parent ?? -1,
      change: state.comparison?.byCode[r.code]?.rr_ratio ?? -1 })[col];
    return [...state.scan.rows].sort((a, b) => { const x = key(a); const y = key(b); return (x < y ? -1 : x > y ? 1 : a.rank - b.rank) * dir; });
  }

  function renderTable() {
    for (const th of document.querySelectorAll('#ws-table th')) {
      th.setAttribute('aria-sort', th.dataset.col === state.sort.col ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
    const body = document.querySelector('#ws-table tbody');
    body.replaceChildren(...sortedRows().map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.code = r.code;
      if (r.kandidaat) tr.classList.add('kandidaat');
      if (r.code === state.selected) tr.classList.add('selected');
      const ch = state.comparison?.byCode[r.code];
      for (const text of [String(r.rank), r.name, count(r.signal_count), fmt(r.rr_parent), ch ? `${fmt(ch.rr_ratio)} ${t(`wijkscan.class.${ch.class}`)}` : '–']) {
        const td = document.createElement('td'); td.textContent = text; tr.append(td);
      }
      tr.addEventListener('click', () => select(r.code, { fly: true }));
      return tr;
    }));
  }

  function renderLegend() {
    const box = $('ws-legend');
    box.replaceChildren();
    const title = document.createElement('div');
    title.textContent = t(state.mode === 'change' ? 'wijkscan.legendChange' : 'wijkscan.legendRr');
    box.append(title);
    RR_STEPS.forEach(([from, col], i) => {
      const row = document.createElement('div');
      const sw = document.createElement('span'); sw.className = 'ws-swatch'; sw.style.background = col;
      row.append(sw, i + 1 < RR_STEPS.length ? `${from} – ${RR_STEPS[i + 1][0]}` : `≥ ${from}`);
      box.append(row);
    });
    if (state.mode === 'change') {
      const row = document.createElement('div');
      const sw = document.createElement('span'); sw.className = 'ws-swatch'; sw.style.background = 'repeating-linear-gradient(45deg,#000 0 1px,#fff 1px 4px)';
      row.append(sw, t('wijkscan.significant'));
      box.append(row);
      if (!state.comparison) { const p = document.createElement('p'); p.className = 'muted'; p.textContent = t('wijkscan.noBaseline'); box.append(p); }
    }
  }

  function renderSelected() {
    const r = state.selected ? state.scan.byCode[state.selected] : null;
    $('ws-selected').textContent = r
      ? `${r.name} (${r.code}) · ${t('wijkscan.rank')} ${r.rank} · ${t('wijkscan.signals')} ${count(r.signal_count)} · RR ${fmt(r.rr_parent)} (${fmt(r.rr_parent_low)}–${fmt(r.rr_parent_high)})${r.kandidaat ? ` · ${t('wijkscan.kandidaat')}` : ''}`
      : t('wijkscan.clickHint');
  }

  // One small map per category, shaded by the sub-area's share of that category's signals.
  function renderMultiples() {
    const box = $('ws-multiples');
    box.replaceChildren();
    const b = bounds(state.areas.features);
    if (!b) return;
    const k = Math.cos((b[0][1] + b[1][1]) / 2 * Math.PI / 180);
    const w = 120; const sx = w / ((b[1][0] - b[0][0]) * k); const h = Math.max(40, Math.round((b[1][1] - b[0][1]) * sx));
    const P = ([x, y]) => `${((x - b[0][0]) * k * sx).toFixed(1)},${(h - (y - b[0][1]) * sx).toFixed(1)}`;
    const path = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((poly) => poly.map((ring) => `M${ring.map(P).join('L')}Z`).join('')).join('');
    const paths = Object.fromEntries(state.areas.features.map((f) => [f.properties.code, path(f.geometry)]));
    for (const category of state.scan.categories) {
      const max = Math.max(1, ...state.scan.rows.map((r) => r.counts[category]?.value ?? 0));
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
      for (const r of state.scan.rows) {
        const c = r.counts[category];
        const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
        p.setAttribute('d', paths[r.code] ?? '');
        p.setAttribute('fill', c?.suppressed ? NO_VALUE : `rgba(178,24,43,${((c?.value ?? 0) / max).toFixed(3)})`);
        p.setAttribute('stroke', '#999'); p.setAttribute('stroke-width', '0.3');
        svg.append(p);
      }
      const fig = document.createElement('figure'); fig.dataset.category = category;
      const ref = state.categories.find((c) => c.code === category);
      const cap = document.createElement('figcaption'); cap.textContent = (ref && (state.lang === 'en' ? ref.label_en : ref.label_nl)) || category;
      fig.append(svg, cap); box.append(fig);
    }
  }

  function select(code, { fly }) {
    state.selected = code;
    map.setFilter('subareas-selected', ['==', ['get', 'code'], code]);
    if (fly) { const b = bounds(state.areas.features, code); if (b) map.fitBounds(b, { padding: 80, duration: 0, maxZoom: 15 }); }
    renderTable(); renderSelected();
    document.querySelector(`#ws-table tr[data-code="${CSS.escape(code)}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  function setStatus(text) { $('status').textContent = text; }

  async function download(kind) {
    if (!state.scan) return;
    const path = `/api/scans/${encodeURIComponent(state.scan.scan.name)}/${kind === 'pdf' ? `report.pdf?lang=${state.lang}` : 'scan.csv'}`;
    const res = await fetch(path, { headers: { Authorization: `Bearer ${state.key}` } });
    if (!res.ok) { setStatus(`${res.status}`); return; }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = `wijkscan-${state.scan.scan.name}.${kind}`;
    document.body.append(a); a.click(); a.remove();
  }

  function wire() {
    $('lang').addEventListener('click', () => setLanguage(state.lang === 'nl' ? 'en' : 'nl'));
    for (const input of document.querySelectorAll('#ws-level input')) {
      input.addEventListener('change', async (e) => {
        state.level = e.target.value;
        const scans = renderScanOptions();
        if (scans.length) await loadScan(scans[0].name);
        else { state.scan = null; map.getSource('subareas').setData({ type: 'FeatureCollection', features: [] }); document.querySelector('#ws-table tbody').replaceChildren(); $('ws-multiples').replaceChildren(); }
      });
    }
    $('ws-scan').addEventListener('change', (e) => loadScan(e.target.value));
    $('ws-mode').addEventListener('change', (e) => { state.mode = e.target.value; if (state.scan) { paint(); renderLegend(); } });
    for (const th of document.querySelectorAll('#ws-table th')) {
      th.addEventListener('click', () => {
        state.sort = { col: th.dataset.col, dir: state.sort.col === th.dataset.col ? -state.sort.dir : (th.dataset.col === 'rank' || th.dataset.col === 'name' ? 1 : -1) };
        renderTable();
      });
    }
    $('ws-pdf').addEventListener('click', (e) => { e.preventDefault(); download('pdf'); });
    $('ws-csv').addEventListener('click', (e) => { e.preventDefault(); download('csv'); });
  }

  // wijkscan-model.js (the model line and a new scan) works through these.
  window.wijkscan = { state, select, loadScan, renderScanOptions, setStatus, t, get map() { return map; } };

  (async () => {
    await setLanguage(new URLSearchParams(location.hash.slice(1)).get('lang') === 'en' ? 'en' : 'nl');
    wire();
    if (!state.key) { setStatus(t('wijkscan.signInFirst')); return; }
    await createMap();
    const refs = await api('/api/categories').catch(() => []);
    state.categories = Array.isArray(refs) ? refs : (refs.categories ?? refs.items ?? []);
    state.scans = (await api('/api/scans')).scans;
    const scans = renderScanOptions();
    if (scans.length) await loadScan(scans[0].name);
    document.body.dataset.ready = 'true';
  })().catch((e) => setStatus(`${t('errorLoading', { e: e.message })}`));
})();
