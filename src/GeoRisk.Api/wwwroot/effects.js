// Effect monitoring in the web map: the interventions of the open area's casustafel, their
// before/after analysis (target, buffer and control drawn on the map, the monthly series with
// the start marked, WDQ and verdict) and a form to register one. A module of its own: the
// map hands it what it needs (api, map, language, the open area) through `section(ctx)`.
(() => {
  'use strict';

  const TEXT = {
    nl: {
      title: 'Interventies', none: 'Geen interventies voor dit gebied.', loading: 'Laden…', analyse: 'Effect',
      verdict: 'Oordeel', wdq: 'WDQ', netEffect: 'Netto-effect', signals: 'signalen', before: 'Voor', after: 'Na',
      zone: 'Zone', target: 'Doelgebied', buffer: 'Buffer', control: 'Controle', vsControl: 't.o.v. controle',
      windows: 'Periodes', controlArea: 'Controlegebied', suggested: '(voorgesteld)', series: 'Signalen per maand',
      start: 'start', csv: 'Reeks als CSV', add: 'Interventie registreren', name: 'Naam', code: 'Code', kind: 'Soort',
      startDate: 'Startdatum', endDate: 'Einddatum (optioneel)', description: 'Korte omschrijving (geen persoonsgegevens)',
      save: 'Opslaan', saved: 'Opgeslagen.', close: 'Sluiten', method: 'Methode', undefinedWdq: 'niet gedefinieerd',
      interval: '95%-interval', its: 'Tijdreeks: niveauverandering',
    },
    en: {
      title: 'Interventions', none: 'No interventions for this area.', loading: 'Loading…', analyse: 'Effect',
      verdict: 'Verdict', wdq: 'WDQ', netEffect: 'Net effect', signals: 'signals', before: 'Before', after: 'After',
      zone: 'Zone', target: 'Target area', buffer: 'Buffer', control: 'Control', vsControl: 'vs control',
      windows: 'Windows', controlArea: 'Control area', suggested: '(suggested)', series: 'Signals per month',
      start: 'start', csv: 'Series as CSV', add: 'Register intervention', name: 'Name', code: 'Code', kind: 'Kind',
      startDate: 'Start date', endDate: 'End date (optional)', description: 'Short description (no personal data)',
      save: 'Save', saved: 'Saved.', close: 'Close', method: 'Method', undefinedWdq: 'undefined',
      interval: '95% interval', its: 'Time series: level change',
    },
  };
  const ZONE_COLOURS = { target: '#7b3294', buffer: '#e66101', control: '#4dac26' };
  const SOURCE = 'effect-zones';
  let kinds = null;

  function section(ctx) {
    const tx = (k) => TEXT[ctx.lang === 'en' ? 'en' : 'nl'][k] ?? k;
    const { el } = ctx;
    const box = el('section', { id: 'interventions' }, el('h3', { text: tx('title') }));
    const list = el('div', { class: 'intervention-list' }, el('p', { class: 'muted small', text: tx('loading') }));
    const detail = el('div', { id: 'intervention-detail' });
    box.append(list, detail);
    load();
    if (ctx.canEdit) box.append(form());
    return box;

    async function load() {
      try {
        const all = await ctx.api(`/api/interventions?${new URLSearchParams({ casustafel: ctx.casustafel })}`);
        const mine = all.filter((i) => i.area_code === ctx.areaCode || !i.area_code);
        list.replaceChildren(mine.length
          ? el('ul', { class: 'plain' }, mine.map((i) => el('li', {},
            el('button', { type: 'button', class: 'linkish intervention-open', 'data-code': i.code, onclick: () => open(i), text: i.name }),
            el('span', { class: 'muted small', text: ` · ${kindLabel(i.kind)} · ${ctx.fmtDate(i.start_date)}` }))))
          : el('p', { class: 'muted small', text: tx('none') }));
      } catch (e) { list.replaceChildren(el('p', { class: 'error', text: e.message })); }
    }

    function kindLabel(code) {
      const k = kinds?.find((x) => x.code === code);
      return k ? (ctx.lang === 'en' ? k.label_en : k.label_nl) : code;
    }

    async function open(intervention) {
      detail.replaceChildren(el('p', { text: tx('loading') }));
      try {
        const a = await ctx.api(`/api/interventions/${encodeURIComponent(intervention.code)}/analysis`);
        render(a);
        draw(a);
      } catch (e) { detail.replaceChildren(el('p', { class: 'error', role: 'alert', text: e.message })); }
    }

    function render(a) {
      const r = a.result;
      const nf = (v, d = 2) => (v === null || v === undefined ? '–' : ctx.fmtNumber(v, d));
      const ratio = (x) => (x ? `×${nf(x.estimate)} [${nf(x.lower)}–${nf(x.upper)}]` : '–');
      const zoneRow = (zone, b, af, vs) => el('tr', {},
        el('th', {}, el('span', { class: 'swatch', style: `background:${ZONE_COLOURS[zone]}` }), ` ${tx(zone)}`),
        el('td', { text: nf(b, 0) }), el('td', { text: nf(af, 0) }), el('td', { text: vs ? ratio(vs) : '' }));
      const w = a.windows;
      detail.replaceChildren(
        el('h4', { text: `${a.intervention.name}` }),
        el('p', { class: 'verdict', id: 'intervention-verdict' }, el('strong', { text: `${tx('verdict')}: ` }), ctx.lang === 'en' ? a.verdict_en : a.verdict_nl),
        el('p', { class: 'small' },
          el('strong', { text: `${tx('wdq')}: ` }), r.wdq === null ? tx('undefinedWdq') : nf(r.wdq),
          r.wdq_interval ? ` (${tx('interval')} ${nf(r.wdq_interval.lower)} – ${nf(r.wdq_interval.upper)})` : '',
          ' · ', el('strong', { text: `${tx('netEffect')}: ` }), `${nf(r.total_net_effect, 0)} ${tx('signals')}`),
        el('table', { class: 'signals effect-counts' },
          el('thead', {}, el('tr', {}, [tx('zone'), `${tx('before')} (${ctx.fmtDate(w.before_from)})`, `${tx('after')} (${ctx.fmtDate(w.after_from)})`, tx('vsControl')].map((h) => el('th', { text: h })))),
          el('tbody', {},
            zoneRow('target', r.counts.target_before, r.counts.target_after, r.target_vs_control),
            zoneRow('buffer', r.counts.buffer_before, r.counts.buffer_after, r.buffer_vs_control),
            zoneRow('control', r.counts.control_before, r.counts.control_after, null))),
        el('p', { class: 'muted small', text: `${tx('controlArea')}: ${a.control_codes.join(', ')} ${a.control_suggested ? tx('suggested') : ''}` }),
        el('h4', { text: tx('series') }),
        chart(a),
        itsLine(a),
        el('button', { type: 'button', class: 'linkish', onclick: () => csv(a), text: tx('csv') }));
    }

    function itsLine(a) {
      const target = a.zones.find((z) => z.zone === 'target');
      const lc = target?.its?.level_change;
      if (!lc) return null;
      return el('p', { class: 'small', text: `${tx('its')}: ×${ctx.fmtNumber(lc.estimate, 2)} [${ctx.fmtNumber(lc.lower, 2)}–${ctx.fmtNumber(lc.upper, 2)}]` });
    }

    // A small SVG line chart: one line per zone, the start of the intervention as a dashed line.
    function chart(a) {
      const ns = 'http://www.w3.org/2000/svg';
      const W = 440, H = 160, P = { l: 34, r: 8, t: 8, b: 22 };
      const svg = document.createElementNS(ns, 'svg');
      svg.setAttribute('viewBox', `0 0 ${W} ${H}`); svg.setAttribute('class', 'effect-chart'); svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', tx('series'));
      const months = a.zones[0]?.series.map((m) => m.month) ?? [];
      const max = Math.max(1, ...a.zones.flatMap((z) => z.series.map((m) => m.count)));
      const x = (i) => P.l + (W - P.l - P.r) * (months.length <= 1 ? 0 : i / (months.length - 1));
      const y = (v) => H - P.b - (H - P.t - P.b) * (v / max);
      const add = (tag, attrs) => { const n = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v); svg.append(n); return n; };
      add('line', { x1: P.l, y1: H - P.b, x2: W - P.r, y2: H - P.b, stroke: '#999' });
      add('text', { x: 2, y: P.t + 8, 'font-size': 10, fill: '#555' }).textContent = ctx.fmtNumber(max, 0);
      for (const z of a.zones) {
        const points = z.series.map((m, i) => `${x(i).toFixed(1)},${y(m.count).toFixed(1)}`).join(' ');
        add('polyline', { points, fill: 'none', stroke: ZONE_COLOURS[z.zone] ?? '#333', 'stroke-width': 1.6, 'data-zone': z.zone });
      }
      const startMonth = a.intervention.start_date.slice(0, 7);
      const si = months.findIndex((m) => m.slice(0, 7) === startMonth);
      if (si >= 0) {
        add('line', { x1: x(si), y1: P.t, x2: x(si), y2: H - P.b, stroke: '#222', 'stroke-dasharray': '4 3', class: 'start-marker' });
        add('text', { x: x(si) + 3, y: P.t + 10, 'font-size': 10, fill: '#222' }).textContent = tx('start');
      }
      if (months.length) {
        add('text', { x: P.l, y: H - 6, 'font-size': 10, fill: '#555' }).textContent = months[0].slice(0, 7);
        add('text', { x: W - P.r - 40, y: H - 6, 'font-size': 10, fill: '#555' }).textContent = months[months.length - 1].slice(0, 7);
      }
      return svg;
    }

    function draw(a) {
      if (!ctx.map) return;
      const features = a.zones.filter((z) => z.geometry).map((z) => ({ type: 'Feature', properties: { zone: z.zone }, geometry: z.geometry }));
      const data = { type: 'FeatureCollection', features };
      const source = ctx.map.getSource(SOURCE);
      if (source) source.setData(data);
      else {
        ctx.map.addSource(SOURCE, { type: 'geojson', data });
        const colour = ['match', ['get', 'zone'], 'target', ZONE_COLOURS.target, 'buffer', ZONE_COLOURS.buffer, ZONE_COLOURS.control];
        ctx.map.addLayer({ id: 'effect-zones-fill', type: 'fill', source: SOURCE, paint: { 'fill-color': colour, 'fill-opacity': 0.18 } });
        ctx.map.addLayer({ id: 'effect-zones-line', type: 'line', source: SOURCE, paint: { 'line-color': colour, 'line-width': 2 } });
      }
      const coords = features.flatMap((f) => (f.geometry.type === 'Polygon' ? f.geometry.coordinates.flat() : f.geometry.coordinates.flat(2)));
      if (coords.length) {
        const lons = coords.map((c) => c[0]); const lats = coords.map((c) => c[1]);
        ctx.map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 30, duration: 0 });
      }
    }

    async function csv(a) {
      const res = await ctx.api(`/api/interventions/${encodeURIComponent(a.intervention.code)}/series.csv`, { raw: true });
      const link = el('a', { href: URL.createObjectURL(await res.blob()), download: `interventie-${a.intervention.code}.csv` });
      document.body.append(link); link.click(); link.remove();
    }

    function form() {
      const msg = el('p', { class: 'small', role: 'status' });
      const kindSelect = el('select', { id: 'iv-kind' });
      const fields = {
        name: el('input', { id: 'iv-name', type: 'text', maxlength: 200, required: true }),
        code: el('input', { id: 'iv-code', type: 'text', maxlength: 64, pattern: '[a-z0-9][a-z0-9-]*', required: true }),
        start: el('input', { id: 'iv-start', type: 'date', required: true }),
        end: el('input', { id: 'iv-end', type: 'date' }),
        description: el('input', { id: 'iv-description', type: 'text', maxlength: 500 }),
      };
      (async () => {
        kinds ??= await ctx.api('/api/intervention-kinds').catch(() => []);
        kindSelect.replaceChildren(...kinds.map((k) => el('option', { value: k.code, text: ctx.lang === 'en' ? k.label_en : k.label_nl })));
      })();
      const row = (id, text, input) => el('label', { for: id, class: 'form-row' }, el('span', { text }), input);
      const submit = el('button', { type: 'submit', text: tx('save') });
      const f = el('form', { class: 'intervention-form' },
        row('iv-name', tx('name'), fields.name), row('iv-code', tx('code'), fields.code), row('iv-kind', tx('kind'), kindSelect),
        row('iv-start', tx('startDate'), fields.start), row('iv-end', tx('endDate'), fields.end),
        row('iv-description', tx('description'), fields.description), submit, msg);
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        msg.className = 'small';
        try {
          await ctx.api('/api/interventions', { method: 'POST', json: {
            code: fields.code.value.trim(), name: fields.name.value.trim(), kind: kindSelect.value, casustafel: ctx.casustafel,
            area: ctx.areaCode, start_date: fields.start.value, end_date: fields.end.value || null, description: fields.description.value.trim(),
          } });
          msg.textContent = tx('saved');
          load();
        } catch (ex) { msg.textContent = ex.message; msg.className = 'small error'; }
      });
      return el('details', { class: 'intervention-add' }, el('summary', { text: tx('add') }), f);
    }
  }

  function clear(map) {
    if (!map) return;
    for (const id of ['effect-zones-fill', 'effect-zones-line']) if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource(SOURCE)) map.removeSource(SOURCE);
  }

  window.GeoRiskEffects = { section, clear };
})();
