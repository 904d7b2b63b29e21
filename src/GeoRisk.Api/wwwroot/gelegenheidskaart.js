// Gelegenheidskaart in the web map: the tile layer's style and legend (RRS classes) and, in the
// area panel, the model card of the newest Risk Terrain Model of the open area (factors with
// RRV, interval and operationalisation; validation: PAI of the model next to a hot-spot map).
// A module of its own: app.js hands it what it needs.
(() => {
  'use strict';

  // The legend classes of GeoRisk.Core.Rtm.RrsClasses (same bounds and colours as the raster tiles).
  const CLASSES = [
    { cls: 1, colour: '#fee8c8', nl: 'verhoogd (×1–2)', en: 'raised (×1–2)' },
    { cls: 2, colour: '#fdbb84', nl: 'hoog (×2–4)', en: 'high (×2–4)' },
    { cls: 3, colour: '#ef6548', nl: 'zeer hoog (×4–8)', en: 'very high (×4–8)' },
    { cls: 4, colour: '#b30000', nl: 'extreem (> ×8)', en: 'extreme (> ×8)' },
  ];
  const TEXT = {
    nl: {
      legend: 'Gelegenheidskaart: relatieve risicoscore (RRS) van het terrein', title: 'Gelegenheidskaart',
      none: 'Geen gelegenheidskaart voor dit gebied.', factor: 'Factor', operationalisation: 'Werking', rrv: 'RRV',
      interval: '95%-interval', cells: 'cellen', noFactor: 'Geen factor verhoogt het risico hier aantoonbaar.',
      validation: 'Toets op de volgende periode (top 5 % van de cellen)', model: 'Gelegenheidskaart', hotspot: 'Hotspots uit eerdere signalen',
      hitRate: 'trefkans', pai: 'PAI', version: 'versie', fit: 'gefit op', test: 'getoetst op', csv: 'Cellen als CSV', blind: 'Blinde vlekken (CSV)',
      proximity: 'binnen {m} m', density: 'dicht opeen binnen {m} m',
    },
    en: {
      legend: 'Opportunity map: relative risk score (RRS) of the terrain', title: 'Opportunity map',
      none: 'No opportunity map for this area.', factor: 'Factor', operationalisation: 'Influence', rrv: 'RRV',
      interval: '95% interval', cells: 'cells', noFactor: 'No factor raises the risk here demonstrably.',
      validation: 'Test on the next period (top 5 % of cells)', model: 'Opportunity map', hotspot: 'Hot spots from earlier signals',
      hitRate: 'hit rate', pai: 'PAI', version: 'version', fit: 'fitted on', test: 'tested on', csv: 'Cells as CSV', blind: 'Blind spots (CSV)',
      proximity: 'within {m} m', density: 'dense within {m} m',
    },
  };
  const tr = (lang, k, vars = {}) => (TEXT[lang === 'en' ? 'en' : 'nl'][k] ?? k).replace(/\{(\w+)\}/g, (_, v) => vars[v]);

  function styleLayers(add, polygon) {
    const colour = ['match', ['to-number', ['get', 'rrs_class'], 0]];
    for (const c of CLASSES) colour.push(c.cls, c.colour);
    colour.push('rgba(0,0,0,0)');
    add({ id: 'fill', type: 'fill', filter: polygon, paint: { 'fill-color': colour, 'fill-opacity': 0.75, 'fill-outline-color': 'rgba(127,0,0,0.25)' } });
  }

  function legend(box, el, swatch, lang) {
    box.append(el('div', { class: 'legend-title', text: tr(lang, 'legend') }));
    for (const c of CLASSES) box.append(el('div', { class: 'legend-row rrs-class' }, swatch(`background:${c.colour}`), ` ${c[lang === 'en' ? 'en' : 'nl']}`));
  }

  function section(ctx) {
    const { el, lang } = ctx;
    const box = el('section', { id: 'gelegenheidskaart' }, el('h3', { text: tr(lang, 'title') }));
    load();
    return box;

    async function load() {
      try {
        const models = await ctx.api(`/api/rtm/models?${new URLSearchParams({ study_area: ctx.areaCode })}`);
        if (!models.length) { box.append(el('p', { class: 'muted small', text: tr(lang, 'none') })); return; }
        box.append(card(models[0]));
      } catch (e) { box.append(el('p', { class: 'error', text: e.message })); }
    }

    function card(m) {
      const f = ctx.fmtNumber;
      const influence = (x) => tr(lang, x.influence === 'density' ? 'density' : 'proximity', { m: x.metres });
      const inputs = m.inputs;
      const out = el('div', { class: 'rtm-card', 'data-model': m.id },
        el('p', { class: 'muted small', text: `${m.name} · ${tr(lang, 'version')} ${m.version} · ${tr(lang, 'fit')} ${inputs.fit_period.from}–${inputs.fit_period.to} · ${tr(lang, 'test')} ${inputs.test_period.from}–${inputs.test_period.to}` }));
      const factors = m.fit.factors;
      out.append(factors.length
        ? el('table', { class: 'rtm-factors' },
          el('thead', {}, el('tr', {}, ['factor', 'operationalisation', 'rrv', 'interval'].map((k) => el('th', { text: tr(lang, k) })))),
          el('tbody', {}, factors.map((x) => el('tr', { class: 'rtm-factor', 'data-factor': x.factor },
            el('td', { text: x.factor }), el('td', { text: influence(x) }), el('td', { text: `×${f(x.rrv, 2)}` }),
            el('td', { text: `${f(x.rrv_low, 2)}–${f(x.rrv_high, 2)}` })))))
        : el('p', { class: 'muted small', text: tr(lang, 'noFactor') }));
      const v = m.validation;
      const fig = (x) => (x.pai === null || x.pai === undefined ? '–' : `${tr(lang, 'pai')} ${f(x.pai, 2)} · ${tr(lang, 'hitRate')} ${f(100 * x.hit_rate, 1)} %`);
      out.append(el('p', { class: 'small', text: tr(lang, 'validation') }),
        el('ul', { class: 'plain small' },
          el('li', { class: 'rtm-pai-model', text: `${tr(lang, 'model')}: ${fig(v.model)}` }),
          el('li', { class: 'rtm-pai-hotspot', text: `${tr(lang, 'hotspot')}: ${fig(v.hotspot)}` })),
        el('p', { class: 'small' },
          el('a', { href: '#', onclick: (e) => { e.preventDefault(); download(`/api/rtm/models/${m.id}/cells?format=csv`, `gelegenheidskaart-${m.study_area}-v${m.version}.csv`); }, text: tr(lang, 'csv') }),
          ' · ',
          el('a', { href: '#', onclick: (e) => { e.preventDefault(); download(`/api/rtm/models/${m.id}/blind-spots?format=csv`, `blinde-vlekken-${m.study_area}-v${m.version}.csv`); }, text: tr(lang, 'blind') })));
      return out;
    }

    async function download(path, name) {
      const res = await ctx.api(path, { raw: true });
      const link = el('a', { href: URL.createObjectURL(await res.blob()), download: name });
      document.body.append(link); link.click(); link.remove();
    }
  }

  window.GeoRiskRtm = { styleLayers, legend, section };
})();
