// The score under the map's filters (docs/scoring.md, "Filters"). Area colours are the stored
// score of the profile: tiles are drawn from a scoring run, so the category filter and the
// period do not recolour them, and the legend says so while a filter is set. The side panel asks
// the API for a live score of the same model for the selection (basis "live") instead.
import { state, el, api } from './core.js';
import { t } from './i18n.js';
import { period } from './view.js';

/** The profile's own window is twelve months; any other window or a category selection is a filter. */
export const scoreFiltered = () => state.categories.length > 0 || state.windowMonths !== 12;

/** The live score's window in days; null for the profile's own twelve months. */
function windowDays() {
  if (state.windowMonths === 12) return null;
  const { from, to } = period();
  return String(Math.round((Date.parse(to) - Date.parse(from)) / 864e5));
}

/** Query of GET /api/areas/{code}/score: the stored score, or a live one for the filters. */
export function scoreQuery() {
  const q = new URLSearchParams();
  if (state.profile) q.set('profile', state.profile);
  if (!scoreFiltered()) return q;
  q.set('date', period().to);
  if (state.categories.length) q.set('categories', state.categories.join(','));
  if (windowDays()) q.set('window_days', windowDays());
  return q;
}

/** What the factsheet needs besides the list's filters to print the panel's score: its window. */
export const factsheetScoreParams = () => ({ window_days: windowDays() });

/** The legend's note while a filter is set: the colours are still the stored score. */
export function scoreFilterNote() {
  return scoreFiltered() ? [el('div', { class: 'legend-row small', id: 'legend-score-filter', text: t('legend.scoreFiltered') })] : [];
}

/** The area's score for the filters; a profile without live scores (version 1) answers its stored one. */
export async function fetchAreaScore(code) {
  const path = `/api/areas/${encodeURIComponent(code)}/score?`;
  try {
    return await api(path + scoreQuery());
  } catch (e) {
    if (!scoreFiltered() || e?.status !== 400) throw e;
    return api(path + new URLSearchParams(state.profile ? { profile: state.profile } : {}));
  }
}
