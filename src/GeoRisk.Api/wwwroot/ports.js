// Port view in the web map (docs/ports.md): pick a mainport, see its programme's cameras (views
// clipped by obstacles) and incidents with popups, filter incidents by kind and period with
// counts, read the coverage by active cameras (per month too), run a camera siting drawn on the
// map, compare the ports' monthly series (waterbed), and, for analysts and admins, upload a
// camera registry, incident file or obstacle footprints. A script of its own: app.js hands it
// what it needs through attach(ctx). Server text is always set as textContent, never as HTML.
(() => {
  'use strict';

  const SRC = { cameras: 'port-cameras', views: 'port-views', incidents: 'port-incidents', siting: 'port-siting' };
  const COLOURS = { camera: '#0571b0', planned: '#6b6b6b', incident: '#b35806', siting: '#7b3294' };
  const SERIES_PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e'];
  const LAYER_IDS = ['port-views-fill', 'port-views-line', 'port-siting-fill', 'port-siting-line', 'port-incidents', 'port-cameras'];

  // Everything the view shows; window.georisk.ports exposes it to tests and the console.
  const ps = {
    ports: [], area: '', kind: '', from: '', to: '', cameras: null, incidents: null, counts: {},
    coverage: null, siting: null, series: null, error: '', loading: false, upload: null,
  };
  let ctx = null;
  let box = null;
  let popup = null;
  let generation = 0;
  // Forms are built once per language and kept across re-renders, so what the user typed or
  // chose (and the file picked) survives the answers that arrive meanwhile.
  const keep = new Map();
  const kept = (key, build) => { if (!keep.has(key)) keep.set(key, build()); return keep.get(key); };

  const t = (key, vars) => ctx.t(key, vars);
  const el = (...a) => ctx.el(...a);
  const pct = (share) => (share === null || share === undefined ? '–' : `${ctx.fmtNumber(100 * share, 1)} %`);
  const count = (n) => (n === null || n === undefined ? `< ${ctx.state.k ?? 5}` : ctx.fmtNumber(n, 0));
  const role = () => ctx.state.me?.role ?? null;
  const seesPoints = () => ['admin', 'analyst', 'member'].includes(role());
  const canUpload = () => ['admin', 'analyst'].includes(role());
  const message = (e) => (ctx.problemMessage ? ctx.problemMessage(e) : e.message);
  const kindLabel = (code) => (ctx.incidentKindLabel ? ctx.incidentKindLabel(code) : code);

  /** Mainports the caller can open: from its casustafels (no extra request), each with the programme that owns it. */
  function portsOf(me) {
    const seen = new Map();
    for (const ct of me?.casustafels ?? []) {
      for (const a of ct.areas ?? []) if (a.kind === 'mainport' && !seen.has(a.code)) seen.set(a.code, { code: a.code, name: a.name, programme: ct.id });
    }
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  const programmeOf = (code) => ps.ports.find((p) => p.code === code)?.programme ?? null;

  // ---------- map layers ----------
  function ensureLayers() {
    const map = ctx.map;
    const empty = { type: 'FeatureCollection', features: [] };
    for (const id of Object.values(SRC)) if (!map.getSource(id)) map.addSource(id, { type: 'geojson', data: empty });
    const add = (layer) => { if (!map.getLayer(layer.id)) map.addLayer(layer); };
    add({ id: 'port-views-fill', type: 'fill', source: SRC.views, paint: { 'fill-color': COLOURS.camera, 'fill-opacity': 0.16 } });
    add({ id: 'port-views-line', type: 'line', source: SRC.views, paint: { 'line-color': COLOURS.camera, 'line-width': 1 } });
    add({ id: 'port-siting-fill', type: 'fill', source: SRC.siting, paint: { 'fill-color': COLOURS.siting, 'fill-opacity': 0.25 } });
    add({ id: 'port-siting-line', type: 'line', source: SRC.siting, paint: { 'line-color': COLOURS.siting, 'line-width': 2, 'line-dasharray': [2, 1] } });
    add({ id: 'port-incidents', type: 'circle', source: SRC.incidents, filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 5, 'circle-color': COLOURS.incident, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
    add({ id: 'port-cameras', type: 'circle', source: SRC.cameras,
      paint: { 'circle-radius': 6, 'circle-color': ['match', ['get', 'status'], 'planned', COLOURS.planned, COLOURS.camera], 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
  }
  const setData = (source, data) => ctx.map?.getSource(source)?.setData(data ?? { type: 'FeatureCollection', features: [] });

  function showPopup(lngLat, title, pairs) {
    popup?.remove();
    const list = el('dl', { class: 'popup-list' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
      .flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]));
    popup = new maplibregl.Popup({ closeButton: true, maxWidth: '300px', className: 'georisk-popup' })
      .setLngLat(lngLat).setDOMContent(el('div', { class: 'popup port-popup', 'data-testid': 'port-popup' }, el('h3', { text: title }), list)).addTo(ctx.map);
    popup.getElement().querySelector('.maplibregl-popup-close-button')?.setAttribute('aria-label', t('close'));
  }

  function cameraPopup(f, lngLat) {
    const p = f.properties;
    const date = (v) => (v && v !== 'null' ? ctx.fmtDate(v) : '');
    showPopup(lngLat, `${t('ports.camera')} ${p.external_id}`, [
      [t('ports.owner'), p.owner], [t('ports.programme'), p.programme], [t('ports.description'), p.description === 'null' ? '' : p.description],
      [t('ports.heading'), `${ctx.fmtNumber(p.heading, 0)}°`], [t('ports.fov'), `${ctx.fmtNumber(p.fov, 0)}°`],
      [t('ports.range'), `${ctx.fmtNumber(p.range, 0)} m`], [t('ports.height'), p.height === null || p.height === 'null' ? '' : `${ctx.fmtNumber(p.height, 1)} m`],
      [t('ports.status'), t(`ports.status.${p.status}`)], [t('ports.activeFrom'), date(p.active_from)], [t('ports.activeTo'), date(p.active_to)],
      [t('ports.clipped'), String(p.clipped) === 'true' ? t('ports.yes') : t('ports.no')],
    ]);
  }

  function incidentPopup(f, lngLat) {
    const p = f.properties;
    let extra = p.properties ?? {};
    if (typeof extra === 'string') { try { extra = JSON.parse(extra); } catch { extra = {}; } }
    showPopup(lngLat, `${t('ports.incident')} ${p.external_id}`, [
      [t('ports.kind'), kindLabel(p.kind)], [t('ports.date'), new Date(p.observed_at).toLocaleString(ctx.state.lang === 'en' ? 'en-GB' : 'nl-NL', { timeZone: 'Europe/Amsterdam' })],
      [t('ports.dataset'), p.dataset], ...Object.entries(extra ?? {}),
    ]);
  }

  /** A click on the port view's points answers with their popup; true when it did (popups.js then stops). */
  function click(e) {
    if (!ctx?.map || !ps.area) return false;
    const layers = ['port-cameras', 'port-incidents'].filter((id) => ctx.map.getLayer(id));
    const hit = ctx.map.queryRenderedFeatures(e.point, { layers })[0];
    if (!hit) return false;
    if (hit.layer.id === 'port-cameras') cameraPopup(hit, hit.geometry.coordinates); else incidentPopup(hit, hit.geometry.coordinates);
    return true;
  }

  // ---------- data ----------
  function query(extra = {}) {
    const q = new URLSearchParams({ area: ps.area });
    if (ps.from) q.set('from', ps.from);
    if (ps.to) q.set('to', ps.to);
    for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    return q;
  }

  async function loadPort({ fit = false } = {}) {
    const mine = ++generation;
    ps.error = ''; ps.loading = true; ps.coverage = null;
    render();
    if (!ps.area) { clearMap(); ps.loading = false; render(); return; }
    // Cameras and incidents first (quick), coverage after: the points show while the shares are computed.
    if (seesPoints()) {
      try {
        const [cameras, incidents] = await Promise.all([
          ctx.api(`/api/ports/cameras?${new URLSearchParams({ area: ps.area })}`),
          ctx.api(`/api/ports/incidents?${query({ kind: ps.kind })}`),
        ]);
        if (mine !== generation) return;
        ps.cameras = cameras; ps.incidents = incidents; ps.counts = incidents.counts ?? {};
        setData(SRC.cameras, cameras);
        setData(SRC.views, { type: 'FeatureCollection', features: cameras.features.filter((f) => f.properties.status !== 'planned' && f.properties.view)
          .map((f) => ({ type: 'Feature', geometry: f.properties.view, properties: { id: f.properties.external_id } })) });
        setData(SRC.incidents, incidents);
        if (fit) fitTo(cameras, incidents);
      } catch (e) { if (mine === generation) ps.error = message(e); }
      render();
    }
    try {
      // 250 m cells keep the hot-spot part of the answer quick on a whole port.
      const coverage = await ctx.api(`/api/ports/coverage?${query({ cell: 250 })}`);
      if (mine !== generation) return;
      ps.coverage = coverage;
    } catch (e) { if (mine === generation) ps.error = message(e); }
    ps.loading = false;
    render();
  }

  function fitTo(...collections) {
    const coords = collections.flatMap((c) => c?.features ?? []).filter((f) => f.geometry?.type === 'Point').map((f) => f.geometry.coordinates);
    if (!coords.length) return;
    const lons = coords.map((c) => c[0]); const lats = coords.map((c) => c[1]);
    ctx.map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 40, duration: 0, maxZoom: 16 });
  }

  function clearMap() {
    ps.cameras = null; ps.incidents = null; ps.counts = {}; ps.siting = null;
    for (const id of Object.values(SRC)) setData(id, null);
    popup?.remove(); popup = null;
  }

  async function runSiting(form) {
    const v = (name) => Number(form.elements[name].value);
    ps.siting = null; ps.sitingError = ''; ps.sitingRunning = true;
    render();
    try {
      ps.siting = await ctx.api('/api/ports/siting', { method: 'POST', json: {
        area: ps.area, from: ps.from || undefined, to: ps.to || undefined, budget: v('budget'), fov: v('fov'), range: v('range'),
        spacing: v('spacing'), headings: 8, target: form.elements.target.value } });
      setData(SRC.siting, ps.siting.sectors);
    } catch (e) { ps.sitingError = message(e); setData(SRC.siting, null); }
    ps.sitingRunning = false;
    render();
  }

  async function loadSeries() {
    try { ps.series = await ctx.api(`/api/ports/series?${new URLSearchParams(ps.from ? { from: ps.from, to: ps.to } : {})}`); } catch { ps.series = null; }
    render();
  }

  async function upload(form) {
    const what = form.elements.what.value;
    const file = form.elements.file.files[0];
    ps.upload = { running: true };
    render();
    const q = new URLSearchParams({ programme: form.elements.programme.value, mode: form.elements.mode.value });
    if (what === 'incidents') q.set('dataset', form.elements.dataset.value.trim());
    try {
      const res = await ctx.api(`/api/ports/${what}/import?${q}`, { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' }, raw: true });
      ps.upload = { result: await res.json() };
      if (ps.area) loadPort();
    } catch (e) {
      const p = e.problem ?? {};
      ps.upload = { error: message(e), detail: p.detail ?? '', rejections: p.rejections ?? [], result: p.result ?? null };
    }
    render();
  }

  // ---------- rendering ----------
  function field(id, text, input) {
    input.id = id;
    return el('label', { for: id, class: 'form-row' }, el('span', { text }), input);
  }

  function filterBlock() {
    return el('div', { class: 'port-filters' },
      field('port-from', t('ports.from'), el('input', { type: 'date', value: ps.from, onchange: (e) => { ps.from = e.target.value; loadPort(); loadSeries(); } })),
      field('port-to', t('ports.to'), el('input', { type: 'date', value: ps.to, onchange: (e) => { ps.to = e.target.value; loadPort(); loadSeries(); } })),
      seesPoints() ? field('port-kind', t('ports.kind'), el('select', { onchange: (e) => { ps.kind = e.target.value; loadPort(); } },
        el('option', { value: '', text: `${t('ports.allKinds')} (${ctx.fmtNumber(Object.values(ps.counts).reduce((a, b) => a + b, 0), 0)})` }),
        Object.entries(ps.counts).sort(([a], [b]) => kindLabel(a).localeCompare(kindLabel(b)))
          .map(([k, n]) => el('option', { value: k, selected: k === ps.kind, text: `${kindLabel(k)} (${ctx.fmtNumber(n, 0)})` })))) : null,
      seesPoints() && ps.incidents ? el('p', { class: 'small muted', id: 'port-shown', text: t('ports.shown', {
        cameras: ctx.fmtNumber(ps.cameras?.features.length ?? 0, 0), incidents: ctx.fmtNumber(ps.incidents.features.length, 0) }) }) : null);
  }

  function coverageBlock() {
    const c = ps.coverage;
    if (!c) return ps.loading ? el('p', { class: 'small muted', text: t('loading') }) : null;
    const row = (label, s) => el('tr', {}, el('th', { scope: 'row', text: label }), el('td', { text: count(s.total) }), el('td', { text: count(s.covered) }), el('td', { text: pct(s.share) }));
    const monthly = c.monthly ?? [];
    const max = Math.max(1, ...monthly.map((m) => m.active_cameras));
    const ns = 'http://www.w3.org/2000/svg';
    const W = 240, H = 48;
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`); svg.setAttribute('class', 'port-bars'); svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', t('ports.monthlyChart', { first: monthly[0]?.month ?? '', last: monthly.at(-1)?.month ?? '', max: ctx.fmtNumber(max, 0) }));
    const bw = W / Math.max(1, monthly.length);
    monthly.forEach((m, i) => {
      const h = Math.round(2 + (H - 4) * m.active_cameras / max);
      const r = document.createElementNS(ns, 'rect');
      for (const [k, v] of Object.entries({ x: (i * bw + 1).toFixed(1), y: H - h, width: Math.max(1, bw - 2).toFixed(1), height: h, fill: COLOURS.camera })) r.setAttribute(k, v);
      const title = document.createElementNS(ns, 'title');
      title.textContent = `${m.month}: ${m.active_cameras} ${t('ports.cameras')}`;
      r.append(title); svg.append(r);
    });
    return el('div', { 'data-testid': 'port-coverage', id: 'port-coverage' },
      el('h3', { text: t('ports.coverage') }),
      el('table', { class: 'signals port-table' },
        el('thead', {}, el('tr', {}, el('td'), ...['ports.total', 'ports.covered', 'ports.share'].map((k) => el('th', { scope: 'col', text: t(k) })))),
        el('tbody', {}, row(t('ports.incidents'), c.incidents), row(t('ports.signals'), c.signals),
          el('tr', {}, el('th', { scope: 'row', text: t('ports.risk') }), el('td', { text: ctx.fmtNumber(c.risk.total, 1) }), el('td', { text: ctx.fmtNumber(c.risk.covered, 1) }), el('td', { text: pct(c.risk.share) })))),
      c.incident_kinds?.length ? el('ul', { class: 'plain small', id: 'port-kind-coverage' }, c.incident_kinds.map((k) => el('li', { 'data-kind': k.key, text: `${kindLabel(k.key)}: ${count(k.covered)} / ${count(k.total)} ${t('ports.covered')} (${pct(k.share)})` }))) : null,
      el('p', { class: 'small', text: t('ports.monthly') }), svg,
      el('details', { class: 'small' }, el('summary', { text: t('ports.monthlyTable') }),
        el('table', { class: 'signals port-table', id: 'port-monthly' },
          el('thead', {}, el('tr', {}, ['ports.month', 'ports.cameras', 'ports.incidents', 'ports.signals'].map((k) => el('th', { scope: 'col', text: t(k) })))),
          el('tbody', {}, monthly.map((m) => el('tr', { 'data-month': m.month }, el('td', { text: m.month }), el('td', { text: ctx.fmtNumber(m.active_cameras, 0) }),
            el('td', { text: pct(m.incidents.share) }), el('td', { text: pct(m.signals.share) })))))),
      c.uncovered_hotspots?.length ? el('p', { class: 'small', text: t('ports.uncoveredHotspots', { n: c.uncovered_hotspots.length }) }) : null);
  }

  function sitingForm() {
    const num = (name, label, min, max, value) => field(`port-siting-${name}`, label, el('input', { name, type: 'number', min, max, value, required: true }));
    return el('form', { id: 'port-siting-form', class: 'port-form', onsubmit: (e) => { e.preventDefault(); runSiting(e.target); } },
      num('budget', t('ports.budget'), 1, 50, 5), num('fov', t('ports.fov'), 1, 360, 90), num('range', t('ports.range'), 1, 2000, 150),
      num('spacing', t('ports.spacing'), 10, 5000, 100),
      field('port-siting-target', t('ports.target'), el('select', { name: 'target' },
        ['risk', 'incidents'].map((v) => el('option', { value: v, text: t(`ports.target.${v}`) })))),
      el('button', { type: 'submit', id: 'port-siting-run', text: t('ports.runSiting') }));
  }

  function sitingBlock() {
    if (!seesPoints()) return null;
    const form = kept('siting', sitingForm);
    form.querySelector('#port-siting-run').disabled = Boolean(ps.sitingRunning);
    const s = ps.siting;
    const result = s ? el('div', { 'data-testid': 'port-siting-result', id: 'port-siting-result' },
      el('p', { class: 'small', text: t('ports.sitingSummary', { covered: ctx.fmtNumber(s.covered, 1), total: ctx.fmtNumber(s.uncovered_total, 1), bound: ctx.fmtNumber(s.upper_bound, 1) }) }),
      el('ol', { class: 'small' }, s.picks.map((p) => el('li', { text: `${p.site} · ${ctx.fmtNumber(p.heading, 0)}° · +${ctx.fmtNumber(p.gain, 1)} (${pct(p.cumulative_share)})` }))),
      el('p', { class: 'small muted', text: t('ports.guarantee') })) : null;
    return el('div', {}, el('h3', { text: t('ports.siting') }), form,
      ps.sitingRunning ? el('p', { class: 'small muted', text: t('loading') }) : null,
      ps.sitingError ? el('p', { class: 'error small', role: 'alert', text: ps.sitingError }) : null, result);
  }

  function seriesBlock() {
    const s = ps.series;
    if (!s || !s.ports?.length) return null;
    const ns = 'http://www.w3.org/2000/svg';
    const W = 240, H = 90, n = s.months.length;
    const max = Math.max(1, ...s.ports.flatMap((p) => p.signals.map((v) => v ?? 0)));
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`); svg.setAttribute('class', 'port-series'); svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', t('ports.series'));
    s.ports.forEach((p, i) => {
      const line = document.createElementNS(ns, 'polyline');
      line.setAttribute('points', p.signals.map((v, j) => `${((j / Math.max(1, n - 1)) * W).toFixed(1)},${(H - 2 - ((v ?? 0) / max) * (H - 6)).toFixed(1)}`).join(' '));
      line.setAttribute('fill', 'none'); line.setAttribute('stroke', SERIES_PALETTE[i % SERIES_PALETTE.length]); line.setAttribute('stroke-width', '1.6');
      line.dataset.port = p.code;
      svg.append(line);
    });
    return el('div', { id: 'port-series' }, el('h3', { text: t('ports.series') }), svg,
      el('ul', { class: 'plain small' }, s.ports.map((p, i) => el('li', {},
        el('span', { class: 'swatch', style: `background:${SERIES_PALETTE[i % SERIES_PALETTE.length]}`, 'aria-hidden': 'true' }),
        ` ${p.name}: ${ctx.fmtNumber(p.signals.reduce((a, v) => a + (v ?? 0), 0), 0)} ${t('ports.signals')}`))));
  }

  function uploadForm() {
    const programmes = [...new Set([...ps.ports.map((p) => p.programme), ...(ctx.state.me?.casustafels ?? []).map((c) => c.id)])];
    const what = el('select', { name: 'what' }, ['cameras', 'incidents', 'obstacles'].map((w) => el('option', { value: w, text: t(`ports.upload.${w}`) })));
    const dataset = el('input', { name: 'dataset', type: 'text', pattern: '[a-z0-9][a-z0-9_-]*', maxlength: 64 });
    const datasetRow = field('port-upload-dataset', t('ports.upload.dataset'), dataset);
    const syncDataset = () => { datasetRow.hidden = what.value !== 'incidents'; dataset.required = what.value === 'incidents'; };
    what.addEventListener('change', syncDataset);
    const form = el('form', { id: 'port-upload-form', class: 'port-form', onsubmit: (e) => { e.preventDefault(); upload(e.target); } },
      field('port-upload-what', t('ports.upload.what'), what),
      field('port-upload-programme', t('ports.programme'), el('select', { name: 'programme' },
        programmes.map((p) => el('option', { value: p, selected: p === programmeOf(ps.area), text: p })))),
      datasetRow,
      field('port-upload-mode', t('ports.upload.mode'), el('select', { name: 'mode' },
        el('option', { value: 'atomic', text: t('ports.upload.atomic') }), el('option', { value: 'partial', text: t('ports.upload.partial') }))),
      field('port-upload-file', t('ports.upload.file'), el('input', { name: 'file', type: 'file', accept: '.csv,.geojson,.json,text/csv,application/geo+json', required: true })),
      el('button', { type: 'submit', id: 'port-upload-run', text: t('ports.upload.run') }));
    syncDataset();
    return el('details', { id: 'port-upload' }, el('summary', { text: t('ports.upload.title') }), form, el('div', { class: 'port-upload-slot' }));
  }

  function uploadBlock() {
    if (!canUpload()) return null;
    const details = kept('upload', uploadForm);
    details.querySelector('#port-upload-run').disabled = Boolean(ps.upload?.running);
    details.querySelector('.port-upload-slot').replaceChildren(...[uploadReport()].filter(Boolean));
    return details;
  }

  function uploadReport() {
    const u = ps.upload;
    if (!u || u.running) return u?.running ? el('p', { class: 'small muted', text: t('loading') }) : null;
    const r = u.result;
    const summary = r ? el('p', { class: 'small', id: 'port-upload-summary', text: t('ports.upload.summary', {
      rows: r.rows, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected_rows, views: r.views_recomputed,
      written: t(r.written ? 'ports.upload.written' : 'ports.upload.notWritten') }) }) : null;
    const rejections = u.rejections ?? r?.rejections ?? [];
    return el('div', { id: 'port-upload-report', role: 'status' },
      u.error ? el('p', { class: 'error small', text: u.error }) : null,
      u.error && u.detail && u.detail !== u.error ? el('p', { class: 'small', text: u.detail }) : null,
      summary,
      rejections.length ? el('table', { class: 'signals port-table', id: 'port-upload-rejections' },
        el('thead', {}, el('tr', {}, ['ports.upload.row', 'ports.upload.field', 'ports.upload.reason'].map((k) => el('th', { scope: 'col', text: t(k) })))),
        el('tbody', {}, rejections.slice(0, 50).map((x) => el('tr', {}, el('td', { text: x.row }), el('td', { text: x.field }),
          el('td', { text: ctx.tOr ? ctx.tOr(`ports.reason.${x.reason}`, x.message ?? x.reason) : (x.message ?? x.reason) }))))) : null);
  }

  function render() {
    if (!box) return;
    box.hidden = !ps.ports.length;
    if (!ps.ports.length) return;
    const active = document.activeElement?.id;
    box.replaceChildren(...[
      el('h2', { text: t('ports.title') }),
      field('port-area', t('ports.port'), el('select', { onchange: (e) => { ps.area = e.target.value; ps.siting = null; ps.kind = ''; loadPort({ fit: true }); } },
        el('option', { value: '', text: '—' }), ps.ports.map((p) => el('option', { value: p.code, selected: p.code === ps.area, text: p.name })))),
      ps.area ? filterBlock() : null,
      ps.error ? el('p', { class: 'error small', role: 'alert', text: ps.error }) : null,
      ps.area ? coverageBlock() : null,
      ps.area ? sitingBlock() : null,
      seriesBlock(),
      uploadBlock()].filter(Boolean));
    // Re-rendering replaces the controls: keep the keyboard where it was.
    if (active && active.startsWith('port-')) document.getElementById(active)?.focus();
  }

  /** Called by app.js once the map and the caller are known. */
  function attach(context) {
    ctx = context;
    window.georisk.ports = ps;
    box = document.getElementById('port-view');
    ps.ports = portsOf(ctx.state.me);
    const { from, to } = ctx.period();
    ps.from = ps.from || from; ps.to = ps.to || to;
    ensureLayers();
    ps.ready = true;
    render();
    if (ps.ports.length) loadSeries();
    if (ps.area) loadPort();
  }

  // ---------- the coverage tile layer (tile_coverage): style and legend ----------
  // Blue in view, red out of view (distinguishable with red-green colour blindness); incidents
  // get a dark ring so they stand apart from signals.
  const COVERAGE = { covered: '#2c7bb6', uncovered: '#d7191c' };
  function styleLayers(add) {
    const colour = ['case', ['to-boolean', ['get', 'covered']], COVERAGE.covered, COVERAGE.uncovered];
    add({ id: 'fill', type: 'fill', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': colour, 'fill-opacity': 0.35 } });
    add({ id: 'circle', type: 'circle', filter: ['==', ['geometry-type'], 'Point'], paint: {
      'circle-color': colour, 'circle-radius': ['case', ['==', ['get', 'what'], 'incident'], 6, 4],
      'circle-stroke-color': ['case', ['==', ['get', 'what'], 'incident'], '#222', '#fff'], 'circle-stroke-width': ['case', ['==', ['get', 'what'], 'incident'], 1.5, 1] } });
  }
  function legend(box, elf, swatch, tf) {
    box.append(elf('div', { class: 'legend-title', text: tf('ports.legend.title') }));
    box.append(elf('div', { class: 'legend-row' }, swatch(`background:${COVERAGE.covered};border-radius:50%`), ` ${tf('ports.legend.covered')}`));
    box.append(elf('div', { class: 'legend-row' }, swatch(`background:${COVERAGE.uncovered};border-radius:50%`), ` ${tf('ports.legend.uncovered')}`));
    box.append(elf('div', { class: 'legend-row' }, swatch('background:#fff;border:2px solid #222;border-radius:50%'), ` ${tf('ports.legend.incident')}`));
  }

  function language() { popup?.remove(); popup = null; keep.clear(); render(); }

  window.GeoRiskPorts = { attach, click, language, styleLayers, legend, layers: LAYER_IDS };
})();
