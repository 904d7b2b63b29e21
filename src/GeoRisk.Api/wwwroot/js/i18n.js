// Language: the nl/en dictionaries (wwwroot/i18n), plural forms, number and date formats, and
// the translation of server problems by their stable `code`. nl-NL writes 1.234,5; en-GB 1,234.5.
import { state, emit } from './core.js';

export const locale = () => (state.lang === 'en' ? 'en-GB' : 'nl-NL');

/** `key` from the dictionary with {name} placeholders filled in; the key itself when missing. */
export function t(key, vars = {}) {
  let s = state.dict[key] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, v);
  return s;
}
export const has = (key) => Object.prototype.hasOwnProperty.call(state.dict, key);
/** t() when the dictionary knows the key, else the fallback (e.g. a code the server added later). */
export const tOr = (key, fallback, vars) => (has(key) ? t(key, vars) : fallback);

/** Plural forms through Intl.PluralRules: key.one / key.other ("1 maand", "2 maanden"). */
export function tn(key, n, vars = {}) {
  const form = new Intl.PluralRules(locale()).select(n);
  return t(has(`${key}.${form}`) ? `${key}.${form}` : `${key}.other`, { n: fmtNumber(n, 0), ...vars });
}

export function fmtNumber(n, digits = 1, minDigits = 0) {
  if (n === null || n === undefined || n === '' || Number.isNaN(Number(n))) return '–';
  return Number(n).toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: Math.min(minDigits, digits) });
}
export const fmtDate = (s) => (s ? new Date(s).toLocaleDateString(locale(), { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }) : '–');

export const label = (obj) => (obj ? (state.lang === 'en' ? obj.label_en ?? obj.labelEn : obj.label_nl ?? obj.labelNl) ?? obj.label ?? obj.code : '');
export const categoryLabel = (code) => label(state.allCategories.find((c) => c.code === code)) || code;
export const statusLabel = (code) => tOr(`status.${code}`, code);
/**
 * An incident kind is a code the programme chose (uithalers, onbevoegde_toegang): the
 * dictionaries name the common ones; any other code is shown as words ("Diefstal lading").
 */
export const incidentKindLabel = (code) => {
  if (!code) return '';
  const words = String(code).replace(/[_-]+/g, ' ').trim();
  return tOr(`incident.${code}`, words.charAt(0).toUpperCase() + words.slice(1));
};

/**
 * A server problem in the page's language. Problem details carry a stable `code`
 * (docs/webmap.md); the dictionaries hold `problem.<code>` with placeholders filled from the
 * problem's extensions (lists joined, codes of personal-data kinds and statuses translated).
 * An unknown code falls back to a text per HTTP status, still in the chosen language.
 */
export function problemMessage(error) {
  const p = error?.problem ?? {};
  const vars = {};
  for (const [k, v] of Object.entries(p)) {
    if (Array.isArray(v)) {
      vars[k] = v.map((x) => (k === 'kinds' ? tOr(`personal.${x}`, x) : k.endsWith('statuses') ? statusLabel(x) : String(x))).join(', ');
    } else if (typeof v === 'string' || typeof v === 'number') vars[k] = k.endsWith('status') ? statusLabel(v) : String(v);
  }
  if (p.code && has(`problem.${p.code}`)) return t(`problem.${p.code}`, vars);
  const status = error?.status ?? 0;
  if (has(`problem.status.${status}`)) return t(`problem.status.${status}`);
  return t(status >= 500 ? 'problem.status.500' : 'problem.status.other', { status });
}

/** Loads the dictionary of `lang` and tells every module to render its texts again. */
export async function setLanguage(lang) {
  state.lang = lang === 'en' ? 'en' : 'nl';
  state.dict = await (await fetch(`i18n/${state.lang}.json`)).json();
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  for (const node of document.querySelectorAll('[data-i18n-title]')) node.setAttribute('title', t(node.dataset.i18nTitle));
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  emit('language');
}
