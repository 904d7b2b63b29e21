// The wijkscan's model: which computation the shown scan's relative risks come from, and a new scan
// of the same gemeente, level, window and profile with a model the user picks (POST /api/scans;
// docs/wijkscan.md "Models"). Loaded after wijkscan.js and driven by its 'wijkscan:render' event.
(() => {
  const $ = (id) => document.getElementById(id);

  function render() {
    const { state, t } = window.wijkscan;
    const scan = state.scan?.scan;
    $('ws-model').textContent = scan ? t('wijkscan.modelShown', { model: t(`wijkscan.model.${scan.model}`) }) : '';
    $('ws-model').dataset.model = scan?.model ?? '';
    $('ws-model-panel').hidden = !scan;
  }

  async function run() {
    const { state, t, setStatus, loadScan, renderScanOptions } = window.wijkscan;
    const scan = state.scan?.scan;
    const name = $('ws-new-name').value.trim();
    if (!scan || !name) return;
    const days = Math.round((Date.parse(scan.window_to) - Date.parse(scan.window_from)) / 86400000) + 1;
    const body = { name, parent: scan.parent_code, level: scan.level, window_to: scan.window_to, window_days: days,
      profile: scan.profile, version: scan.profile_version, model: $('ws-new-model').value };
    $('ws-new-run').disabled = true;
    setStatus(t('wijkscan.newBusy', { name }));
    try {
      const res = await fetch('/api/scans', { method: 'POST', headers: { Authorization: `Bearer ${state.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body) });
      if (!res.ok) {
        const problem = await res.json().catch(() => ({}));
        setStatus(`${res.status}: ${problem.detail ?? problem.title ?? ''}`);
        return;
      }
      const list = await fetch('/api/scans', { headers: { Authorization: `Bearer ${state.key}` } }).then((r) => r.json());
      state.scans = list.scans;
      renderScanOptions();
      $('ws-scan').value = name;
      await loadScan(name);
      setStatus(t('wijkscan.newDone', { name }));
    } finally {
      $('ws-new-run').disabled = false;
    }
  }

  document.addEventListener('wijkscan:render', render);
  $('ws-new-run').addEventListener('click', () => run());
})();
