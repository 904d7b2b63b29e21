// The area panel: score, rank, trend, knelpunt flag with its reasons, components, and the
// casustafel's signal list with follow-up (history shown with its row), exports and links.
import { state, ctx, $, el, on, emit, api, setStatus, canChangeFollowup, canExport, seesSignals } from './core.js';
import { t, tOr, fmtNumber, fmtDate, categoryLabel, statusLabel, problemMessage } from './i18n.js';
import { filterQuery, writeHash, viewParams } from './view.js';
import { setSelected, currentCasustafel } from './map.js';
import { showPanel, hidePanel, onEscape } from './layout.js';
import { fetchAreaScore, factsheetScoreParams } from './score-filter.js';

// Score responses are read tolerantly so that a renamed field degrades to '–', not to an error.
function normalizeScore(s) {
  if (!s) return null;
  const flagObj = s.kandidaat ?? s.flag ?? s.knelpunt ?? s.candidate ?? s.flags ?? {};
  const raised = typeof flagObj === 'boolean' ? flagObj : Boolean(flagObj.raised ?? flagObj.candidate ?? flagObj.value ?? flagObj.flag);
  const reasons = (typeof flagObj === 'object' ? flagObj.reasons : null) ?? s.reasons ?? [];
  let components = s.components ?? [];
  if (!Array.isArray(components)) components = Object.entries(components).map(([category, v]) => ({ category, value: typeof v === 'object' ? (v.value ?? v.contribution ?? v.raw) : v }));
  components = components.map((c) => ({ category: c.category ?? c.code, value: Number(c.value ?? c.contribution ?? c.raw ?? 0) }))
    .filter((c) => c.category).sort((a, b) => b.value - a.value);
  const trend = s.trend;
  let trendPct = null;
  if (typeof trend === 'number') trendPct = trend;
  else if (trend && typeof trend === 'object') {
    trendPct = trend.change_pct ?? trend.changePct ?? trend.percent ?? null;
    const prev = trend.previous ?? trend.previous_signal_count; const cur = trend.current ?? trend.signal_count;
    if (trendPct === null && prev && cur !== undefined) trendPct = 100 * (cur - prev) / prev;
  }
  return {
    score: s.score, raw: s.raw, rank: s.rank ?? s.rank_in_kind, of: s.of ?? s.rank_of ?? s.rankOf, kind: s.kind, components,
    trendPct, trendText: typeof trend === 'string' ? trend : (trend?.direction ?? null), raised, reasons,
    signals: s.signal_count, sources: s.source_count,
  };
}

/** A reason of the knelpunt flag in words: ✔/✘, the threshold's name, actual (≥ required). */
function reasonText(r) {
  if (typeof r === 'string') return r;
  const name = tOr(`threshold.${r.threshold}`, r.text ?? r.reason ?? r.threshold ?? r.name ?? '');
  const actual = r.actual ?? r.value;
  const digits = r.threshold === 'min_score' ? 1 : 0;
  return [r.passed === undefined ? '' : (r.passed ? '✔' : '✘'), name,
    actual !== undefined ? fmtNumber(actual, digits) : suppressedText(),
    (r.required ?? r.limit) !== undefined ? `(≥ ${fmtNumber(r.required ?? r.limit, digits)})` : ''].filter(Boolean).join(' ');
}

/** A count the server withheld because it is below k (viewers): "< 5", explained in a tooltip. */
function suppressedText() { return `< ${state.k ?? 5}`; }
function suppressedValue(id) {
  return el('span', { id, class: 'kpi-value suppressed', title: t('suppressedWhy', { k: state.k ?? 5 }), tabindex: 0, text: suppressedText() });
}

export async function openArea(code, { keepView = false } = {}) {
  // Reopening the same area (another language) keeps its name while the rest reloads.
  state.area = { code, name: state.area?.code === code ? state.area.name : undefined, loading: true };
  setSelected(code);
  showPanel();
  renderPanel(); writeHash();
  const ct = state.casustafel;
  const inTable = currentCasustafel()?.areas?.some((a) => a.code === code);
  const areaInfo = currentCasustafel()?.areas?.find((a) => a.code === code);
  const [score, list, area] = await Promise.allSettled([
    fetchAreaScore(code),
    ct && inTable && seesSignals() ? api(`/api/casustafels/${encodeURIComponent(ct)}/signaallijst?${filterQuery({ area: code, limit: 25, lang: state.lang })}`) : Promise.resolve(null),
    areaInfo ? Promise.resolve(null) : api(`/api/areas/${encodeURIComponent(code)}`),
  ]);
  if (state.area?.code !== code) return; // another click came in meanwhile
  // The typed relative-risk score (docs/scoring.md) is drawn by score-panel.js; older records are read tolerantly.
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
  const props = area.status === 'fulfilled' ? area.value?.properties : null;
  state.area = {
    code, name: areaInfo?.name ?? props?.name ?? score.value?.name ?? code, kind: areaInfo?.kind ?? props?.kind ?? normalized?.kind,
    inTable, score: normalized, typedScore: typed,
    scoreError: score.status === 'rejected' ? score.reason : null,
    list: list.status === 'fulfilled' ? list.value : null,
    listError: list.status === 'rejected' ? list.reason : null,
  };
  renderPanel();
  emit('area', code);
  if (!keepView) writeHash();
  if (state.focusSignal) focusSignal(state.focusSignal);
}

export function closeArea() {
  window.GeoRiskEffects?.clear(ctx.map);
  state.area = null; setSelected(null); hidePanel(); renderPanel(); writeHash();
}

function kpi(labelKey, value, id) {
  return el('div', { class: 'kpi' }, el('span', { class: 'kpi-label', text: t(labelKey) }),
    value instanceof Node ? value : el('span', { id, class: 'kpi-value', text: value }));
}

export function renderPanel() {
  const body = $('panel-body'); body.replaceChildren();
  const a = state.area;
  if (!a) return;
  body.append(el('h2', { id: 'area-name', tabindex: -1, text: a.name ?? a.code }),
    el('p', { class: 'muted small', text: [a.code, a.kind ? tOr(`kind.${a.kind}`, a.kind) : null].filter(Boolean).join(' · ') }));
  if (a.loading) { body.append(el('p', { text: t('loading') })); return; }

  const s = a.score;
  const scoreBox = a.typedScore
    ? window.GeoRiskScore.render(a.typedScore, { el, t, fmtNumber, categoryLabel, lang: state.lang,
      ...(state.me?.suppressed ? { withheld: suppressedValue, withheldText: suppressedText } : {}) })
    : el('section', { id: 'score-box', 'aria-labelledby': 'area-name' });
  if (a.typedScore) { /* drawn by score-panel.js */ } else if (s && s.score !== undefined && s.score !== null) {
    const count = (v, id) => (v === null && state.me?.suppressed ? suppressedValue(id) : (v === undefined ? '–' : fmtNumber(v, 0)));
    scoreBox.append(el('div', { class: 'kpis' },
      kpi('score', fmtNumber(s.score, 0), 'area-score'),
      kpi('rank', s.rank ? (s.of ? t('rankOf', { rank: fmtNumber(s.rank, 0), of: fmtNumber(s.of, 0) }) : fmtNumber(s.rank, 0)) : '–', 'area-rank'),
      kpi('raw', fmtNumber(s.raw, 2), 'area-raw')));
    scoreBox.append(el('div', { class: 'kpis' }, kpi('signalCount', count(s.signals, 'area-signals'), 'area-signals'), kpi('sourceCount', count(s.sources, 'area-sources'), 'area-sources')));
    const trendWord = s.trendPct === null ? (s.trendText ?? '–')
      : `${s.trendPct > 1 ? '▲ ' + t('trendUp') : s.trendPct < -1 ? '▼ ' + t('trendDown') : '▶ ' + t('trendFlat')} (${s.trendPct > 0 ? '+' : ''}${fmtNumber(s.trendPct, 0)}%)`;
    scoreBox.append(el('p', {}, el('strong', { text: `${t('trend')}: ` }), trendWord));
    scoreBox.append(el('p', { class: s.raised ? 'flag flag-on' : 'flag' }, el('strong', { text: `${t('flag')}: ` }), s.raised ? t('flagYes') : t('flagNo')));
    if (s.reasons.length) scoreBox.append(el('ul', { class: 'reasons' }, s.reasons.map((r) => el('li', { text: reasonText(r) }))));
    if (s.components.length) {
      const max = Math.max(...s.components.map((c) => Math.abs(c.value)), 1e-9);
      scoreBox.append(el('h3', { text: t('components') }), el('div', { class: 'bars' }, s.components.map((c) => el('div', { class: 'bar-row' },
        el('span', { class: 'bar-label', text: categoryLabel(c.category) }),
        el('span', { class: 'bar', 'aria-hidden': 'true' }, el('span', { class: 'bar-fill', style: `width:${(100 * Math.abs(c.value) / max).toFixed(1)}%` })),
        el('span', { class: 'bar-value', text: fmtNumber(c.value, 2) })))));
    }
  } else {
    scoreBox.append(el('p', { class: 'muted', text: a.scoreError && a.scoreError.status !== 404 ? t('errorLoading', { e: problemMessage(a.scoreError) }) : t('noScoreYet') }));
  }
  body.append(scoreBox);
  if (seesSignals() && state.casustafel && a.inTable) body.append(signalList(a));
  // The gelegenheidskaart's model card: no signal-level data, so viewers see it too.
  if (state.me && state.key && window.GeoRiskRtm) {
    body.append(window.GeoRiskRtm.section({ api, el, lang: state.lang, fmtNumber, areaCode: a.code }));
  }
  // Interventions and their effect: only once signed in (an unauthenticated request would sign the user out).
  if (state.me && state.key && state.casustafel && window.GeoRiskEffects && seesSignals()) {
    body.append(window.GeoRiskEffects.section({
      api, el, map: ctx.map, lang: state.lang, fmtNumber, fmtDate, casustafel: state.casustafel, areaCode: a.code,
      canEdit: ['admin', 'analyst', 'member'].includes(state.me?.role),
    }));
  }
}

function signalList(a) {
  const listBox = el('section', { id: 'signal-list' }, el('h3', { text: t('signaallijst') }));
  // Buttons a role cannot use are not shown (viewers get 403 on exports).
  if (canExport()) {
    listBox.append(el('div', { class: 'exports' },
      el('button', { type: 'button', id: 'export-csv', onclick: () => download('csv'), text: t('exportCsv') }),
      el('button', { type: 'button', id: 'export-pdf', onclick: () => download('pdf'), text: t('exportPdf') })));
  }
  const rows = a.list?.rows ?? [];
  if (a.listError) listBox.append(el('p', { class: 'error', text: t('errorLoading', { e: problemMessage(a.listError) }) }));
  else if (!rows.length) listBox.append(el('p', { class: 'muted', text: t('noSignals') }));
  else {
    const table = el('table', { class: 'signals' },
      el('caption', { class: 'visually-hidden', text: t('signaallijst') }),
      el('thead', {}, el('tr', {}, ['col.rank', 'col.category', 'col.location', 'col.date', 'col.partners', 'col.status'].map((k) => el('th', { scope: 'col', text: t(k) })))),
      el('tbody', {}, rows.map((r) => signalRow(r))));
    listBox.append(el('div', { class: 'table-scroll' }, table));
  }
  return listBox;
}

/** Where a signal is, in words: the area's name and the precision; coordinates in the tooltip. */
function locationText(l) {
  const where = l.area_name ?? l.area_code ?? '–';
  return `${where} · ${tOr(`precision.${l.precision}`, l.precision ?? '')}`;
}

function signalRow(r) {
  const l = r.location ?? {};
  const hasPoint = l.lat !== null && l.lat !== undefined;
  const coords = hasPoint ? `${fmtNumber(l.lat, 5, 5)}, ${fmtNumber(l.lon, 5, 5)}` : '';
  // A row with a point flies the map there (at most street level for coarse locations).
  const locCell = hasPoint
    ? el('button', { type: 'button', class: 'loc-button', title: t('flyTo', { coords }), onclick: () => ctx.map?.flyTo({ center: [l.lon, l.lat], zoom: l.precision === 'object' ? 17 : 15 }), text: locationText(l) })
    : locationText(l);
  const tr = el('tr', { class: 'signal-row', 'data-signal': r.signal_id, title: r.reason },
    el('td', { text: r.rank }), el('td', { text: categoryLabel(r.category) }),
    el('td', { class: `loc${hasPoint ? ' link' : ''}`, 'data-precision': l.precision }, locCell),
    el('td', { text: fmtDate(r.observed_at) }), el('td', { text: fmtNumber(r.corroborating_partners, 0) }),
    el('td', {}, statusEditor(r)));
  return tr;
}

function statusEditor(r) {
  const current = statusLabel(r.followup_status);
  const next = canChangeFollowup() ? (r.next_statuses ?? []) : [];
  const parts = [];
  const msg = el('span', { class: 'small', role: 'status' });
  if (!next.length) parts.push(el('span', { text: current }));
  else {
    const select = el('select', { 'aria-label': t('setStatusOf', { rank: r.rank }) }, el('option', { value: '', text: current }),
      next.map((s) => el('option', { value: s, text: `→ ${statusLabel(s)}` })));
    const note = el('input', { type: 'text', maxlength: 280, placeholder: t('note'), 'aria-label': t('note'), hidden: true });
    const save = el('button', { type: 'button', text: t('save'), hidden: true });
    select.addEventListener('change', () => { note.hidden = save.hidden = !select.value; });
    const submit = async () => {
      try {
        await api(`/api/casustafels/${encodeURIComponent(state.casustafel)}/signals/${r.signal_id}/followup`, { method: 'POST', json: { status: select.value, note: note.value } });
        msg.textContent = t('saved');
        state.focusSignal = String(r.signal_id);
        await openArea(state.area.code, { keepView: true });
      } catch (e) { msg.textContent = problemMessage(e); msg.className = 'small error'; }
    };
    save.addEventListener('click', submit);
    note.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); submit(); } });
    parts.push(select, note, save);
  }
  parts.push(el('button', { type: 'button', class: 'linkish history-button', 'aria-expanded': 'false', text: t('history'), onclick: (e) => toggleHistory(r, e.currentTarget) }));
  parts.push(el('button', { type: 'button', class: 'linkish copy-link', text: t('copyLink'), onclick: () => copyLink(r, msg) }));
  parts.push(msg);
  return el('span', { class: 'status-editor' }, parts);
}

/** A link to this signal within the casustafel: the view plus `sig`; the receiver needs a key of their own. */
async function copyLink(r, msg) {
  const url = `${location.origin}${location.pathname}#${viewParams({ sig: r.signal_id })}`;
  try { await navigator.clipboard.writeText(url); msg.textContent = t('linkCopied'); } catch { msg.textContent = url; }
  msg.dataset.link = url;
}

/** Scrolls to and marks the row of a linked signal (from `sig` in the URL or after a change). */
function focusSignal(id) {
  const row = document.querySelector(`#signal-list tr[data-signal='${CSS.escape(String(id))}']`);
  state.focusSignal = null;
  if (!row) return;
  row.classList.add('focused');
  row.scrollIntoView({ block: 'nearest' });
}

/** The history opens in a row right under the signal's row (not at the end of the list). */
async function toggleHistory(r, button) {
  const row = button.closest('tr');
  const open = document.getElementById('followup-history');
  if (open) {
    const wasMine = open.dataset.signal === String(r.signal_id);
    open.closest('tr').remove();
    document.querySelectorAll('.history-button[aria-expanded="true"]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
    if (wasMine) return;
  }
  const box = el('div', { id: 'followup-history', 'data-signal': r.signal_id, tabindex: -1 });
  row.after(el('tr', { class: 'history-row' }, el('td', { colspan: 6 }, box)));
  button.setAttribute('aria-expanded', 'true');
  box.replaceChildren(el('h4', { text: `${t('history')} · #${r.rank}` }), el('p', { text: t('loading') }));
  try {
    const f = await api(`/api/casustafels/${encodeURIComponent(state.casustafel)}/signals/${r.signal_id}/followup`);
    const items = f.history ?? [];
    box.replaceChildren(el('h4', { text: `${t('history')} · #${r.rank}` }), items.length
      ? el('ol', { class: 'history' }, items.map((h) => el('li', {},
        el('strong', { text: `${statusLabel(h.from_status)} → ${statusLabel(h.to_status)}` }),
        ` · ${fmtDate(h.changed_at)} · `, el('span', { class: 'actor', text: actorText(h) }), el('br'), h.note)))
      : el('p', { class: 'muted', text: t('noHistory') }));
    box.focus();
  } catch (e) { box.replaceChildren(el('p', { class: 'error', text: t('errorLoading', { e: problemMessage(e) }) })); }
}

/** Who made a step: the organisation of the key (and the role), never the key id. */
function actorText(h) {
  const partner = (state.lang === 'en' ? h.partner_label_en : h.partner_label_nl) ?? h.partner ?? null;
  const roleText = h.role ? tOr(`role.${h.role}`, h.role) : null;
  if (partner) return roleText ? `${partner} (${roleText})` : partner;
  return roleText ?? t('unknownPartner');
}

async function download(kind) {
  const path = kind === 'csv'
    ? `/api/casustafels/${encodeURIComponent(state.casustafel)}/signaallijst.csv?${filterQuery({ area: state.area?.code, limit: 500, lang: state.lang })}`
    : `/api/casustafels/${encodeURIComponent(state.casustafel)}/factsheet.pdf?${filterQuery({ area: state.area?.code, lang: state.lang, ...factsheetScoreParams() })}`;
  try {
    const res = await api(path, { raw: true });
    const blob = await res.blob();
    const a = el('a', { href: URL.createObjectURL(blob), download: `${state.casustafel}-${state.area?.code ?? 'alle'}.${kind}` });
    document.body.append(a); a.click(); a.remove();
  } catch (e) { setStatus(t('errorLoading', { e: problemMessage(e) })); }
}

export function wirePanel() {
  $('panel-close').addEventListener('click', closeArea);
  on('map:area', (code) => openArea(code));
  // The reasons and tooltips come from the server in the chosen language: fetch again.
  on('language', () => { if (state.area && !state.area.loading && !state.restoring) openArea(state.area.code, { keepView: true }); });
  on('filters', () => { if (state.area) openArea(state.area.code, { keepView: true }); });
  on('casustafel', () => { if (state.area) closeArea(); });
  onEscape(() => (state.area ? (closeArea(), true) : false), 3);
}
