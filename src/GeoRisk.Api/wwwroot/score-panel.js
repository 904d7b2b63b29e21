// The area score in the side panel: renders GeoRisk.Core.Scoring.RiskScore exactly as the API
// sends it (docs/scoring.md, "The record"); no other spellings are read. app.js passes its
// helpers in, so this file owns no state.
(() => {
  'use strict';

  // One wording of the trend everywhere (panel, factsheet, CSV): rate ratio to two decimals,
  // p to three, "< 0.001" below that. Kept in step with GeoRisk.Reports.Factsheets.TrendText.
  function trendText(trend, { t, lang }) {
    const locale = lang === 'en' ? 'en-GB' : 'nl-NL';
    const fixed = (n, d) => Number(n).toLocaleString(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
    const word = trend.direction === 'up' ? `▲ ${t('trendUp')}` : trend.direction === 'down' ? `▼ ${t('trendDown')}` : `▶ ${t('trendFlat')}`;
    if (trend.rate_ratio === null || trend.rate_ratio === undefined) return `${word} (${t('trendNone')})`;
    const p = trend.p_value < 0.001 ? `< ${fixed(0.001, 3)}` : `= ${fixed(trend.p_value, 3)}`;
    return `${word} (×${fixed(trend.rate_ratio, 2)}, p ${p})`;
  }

  // withheld(id) / withheldText(): how the page shows a count withheld below k (viewers); absent = '–'.
  function render(s, { el, t, fmtNumber, categoryLabel, lang, withheld, withheldText }) {
    const count = (v, id) => (v === null || v === undefined) && withheld ? withheld(id)
      : el('span', { id, class: 'kpi-value', text: v === null || v === undefined ? '–' : fmtNumber(v, 0) });
    const box = el('section', { id: 'score-box' });
    const rr = s.relative_risk;
    const rank = s.rank ? t('rankOf', { rank: s.rank.in_kind, of: s.rank.of }) : '–';
    box.append(el('div', { class: 'kpis' },
      el('div', { class: 'kpi' }, el('span', { class: 'kpi-label', text: t('score') }), el('span', { id: 'area-score', class: 'kpi-value', text: fmtNumber(s.score, 0) })),
      el('div', { class: 'kpi' }, el('span', { class: 'kpi-label', text: t('relativeRisk') }),
        el('span', { id: 'area-rr', class: 'kpi-value', text: fmtNumber(rr.mean, 2) })),
      el('div', { class: 'kpi' }, el('span', { class: 'kpi-label', text: t('rank') }), el('span', { id: 'area-rank', class: 'kpi-value', text: rank }))));
    box.append(el('div', { class: 'kpis' },
      el('div', { class: 'kpi' }, el('span', { class: 'kpi-label', text: t('signalCount') }), count(s.signal_count, 'area-signals')),
      el('div', { class: 'kpi' }, el('span', { class: 'kpi-label', text: t('sourceCount') }), count(s.source_count, 'area-sources'))));
    box.append(el('p', { class: 'small', id: 'area-rr-interval',
      text: t('rrInterval', { level: fmtNumber(100 * rr.level, 0), lower: fmtNumber(rr.lower, 2), upper: fmtNumber(rr.upper, 2) }) }));
    box.append(el('p', { class: 'small muted',
      text: t('observedExpected', { o: fmtNumber(s.observed, 1), e: fmtNumber(s.expected, 1), ref: t(`reference.${s.expectation.reference}`) }) }));
    box.append(el('p', { class: 'small muted', id: 'score-basis',
      text: s.basis === 'live'
        ? t('basisLive', { categories: (s.categories ?? []).map(categoryLabel).join(', ') || t('allCategories'), days: s.window ? Math.round((new Date(s.window.to) - new Date(s.window.from)) / 864e5) : '–' })
        : t('basisStored', { profile: s.profile, version: s.version, date: s.reference_date }) }));
    box.append(el('p', {}, el('strong', { text: `${t('trend')}: ` }), el('span', { id: 'area-trend', text: trendText(s.trend, { t, lang }) })));
    box.append(el('p', { class: s.kandidaat ? 'flag flag-on' : 'flag' }, el('strong', { text: `${t('flag')}: ` }), s.kandidaat ? t('flagYes') : t('flagNo')));
    box.append(el('ul', { class: 'reasons' }, s.reasons.map((r) => el('li', {
      // Counts are whole numbers; the relative-risk bound has two decimals.
      text: `${r.passed ? '✔' : '✘'} ${t(`threshold.${r.threshold}`)} ${r.actual === null ? (withheldText ? withheldText() : '–') : fmtNumber(r.actual, r.threshold.startsWith('min_s') ? 0 : 2)} (≥ ${fmtNumber(r.required, r.threshold.startsWith('min_s') ? 0 : 2)})`,
    }))));
    if (s.components.length) {
      const parts = [...s.components].sort((a, b) => b.observed - a.observed).filter((c) => c.observed > 0);
      box.append(el('h3', { text: t('components') }), el('div', { class: 'bars' }, parts.map((c) => el('div', { class: 'bar-row' },
        el('span', { class: 'bar-label', text: categoryLabel(c.category) }),
        el('span', { class: 'bar' }, el('span', { class: 'bar-fill', style: `width:${(100 * c.share).toFixed(1)}%` })),
        el('span', { class: 'bar-value', text: `${fmtNumber(100 * c.share, 0)}% · RR ${fmtNumber(c.relative_risk, 2)}` })))));
    }
    return box;
  }

  window.GeoRiskScore = { render, trendText };
})();
