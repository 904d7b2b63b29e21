// The scoring-profile chooser: a list filled from GET /api/profiles (no free text). A profile
// named in the address that does not exist is reported and replaced by the default, so the map
// never goes blank without saying why.
(() => {
  'use strict';

  async function fill(select, { api, t, message, current, fallback, onChange }) {
    let profiles = [];
    try { profiles = await api('/api/profiles'); } catch (e) { message.textContent = t('errorLoading', { e: e.message }); message.hidden = false; return current; }
    const versions = new Map();
    for (const p of profiles) versions.set(p.name, [...(versions.get(p.name) ?? []), p.version]);
    select.replaceChildren(...[...versions.keys()].map((name) => {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = `${name} (v${Math.max(...versions.get(name))})`;
      return option;
    }));
    let chosen = current;
    message.hidden = true;
    if (!versions.has(current)) {
      message.textContent = t('profileUnknown', { e: current });
      message.hidden = false;
      chosen = versions.has(fallback) ? fallback : [...versions.keys()][0];
      onChange(chosen);
    }
    select.value = chosen;
    return chosen;
  }

  window.GeoRiskProfiles = { fill };
})();
