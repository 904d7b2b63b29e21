// The web map's tile layers come from the server's catalogue (GET /tiles/): a layer defined on
// the server appears here with its label and, when the map has no style of its own for it, the
// style from its definition, without a change to app.js.
window.GeoRiskTileCatalogue = (() => {
  let layers = [];
  return {
    // Layer ids: the map's own layers in its order (later ones draw on top), then the others
    // of the catalogue; the map's list when the catalogue is unreachable.
    async load(api, known) {
      try {
        const catalogue = await api('/tiles/');
        layers = (catalogue?.layers || []).filter((l) => l.web);
      } catch { layers = []; }
      if (!layers.length) return known;
      const ids = layers.map((l) => l.id);
      return [...known.filter((id) => ids.includes(id)), ...ids.filter((id) => !known.includes(id))];
    },
    label(id, lang) {
      return layers.find((l) => l.id === id)?.web?.label?.[lang] ?? null;
    },
    // Adds the definition's MapLibre style layers through app.js's add(layer).
    addStyle(id, add) {
      const style = layers.find((l) => l.id === id)?.web?.style || [];
      style.forEach((s, i) => add({ id: `style${i}`, ...s }));
    },
  };
})();
