// Responsive layout: on wide screens controls | map | panel side by side; on narrow screens
// the controls are a drawer over the map and the area panel a bottom sheet that leaves at
// least half of the screen to the map (app.css). Escape closes the topmost open thing.
import { ctx, $ } from './core.js';

const NARROW = window.matchMedia('(max-width: 900px)');
export const isNarrow = () => NARROW.matches;

// Closers tried in order of priority (lower first) when Escape is pressed; each returns true
// when it closed something.
const closers = [];
export function onEscape(fn, priority = 5) {
  closers.push({ fn, priority });
  closers.sort((a, b) => a.priority - b.priority);
}

const resizeMap = () => requestAnimationFrame(() => ctx.map?.resize());

export function openDrawer() {
  document.body.classList.add('drawer-open');
  $('menu-toggle').setAttribute('aria-expanded', 'true');
  $('controls').focus();
}
export function closeDrawer({ restoreFocus = true } = {}) {
  if (!document.body.classList.contains('drawer-open')) return false;
  document.body.classList.remove('drawer-open');
  $('menu-toggle').setAttribute('aria-expanded', 'false');
  if (restoreFocus) $('menu-toggle').focus();
  return true;
}

let returnFocus = null;
export function showPanel() {
  const panel = $('panel');
  if (panel.hidden) returnFocus = document.activeElement;
  panel.hidden = false;
  document.body.classList.add('panel-open');
  if (isNarrow()) closeDrawer({ restoreFocus: false });
  resizeMap();
}
export function hidePanel() {
  const panel = $('panel');
  if (panel.hidden) return;
  panel.hidden = true;
  document.body.classList.remove('panel-open');
  resizeMap();
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  returnFocus = null;
}

export function wireLayout() {
  $('menu-toggle').addEventListener('click', () => (document.body.classList.contains('drawer-open') ? closeDrawer() : openDrawer()));
  $('drawer-close').addEventListener('click', () => closeDrawer());
  onEscape(() => closeDrawer(), 1);
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented || $('signin').open) return;
    for (const { fn } of closers) if (fn()) { e.preventDefault(); return; }
  });
  NARROW.addEventListener('change', () => { if (!isNarrow()) closeDrawer({ restoreFocus: false }); resizeMap(); });
}
