-- Open water (rivers, canals, harbour basins, lakes) as context for map cut-outs drawn without a
-- basemap: with the gemeente, wijk and buurt lines it shows where an area lies. Water is not an
-- area: it is never scored, ranked, scanned or served as a collection, so it has a table of its
-- own rather than an area kind. Public geography, no signals: no scope applies. Filled by
-- `georisk import water` from any open GeoJSON of water polygons (e.g. BGT waterdeel or TOP10NL
-- waterdeel via PDOK); the demo ships none, because no open water boundaries come with it.
CREATE TABLE context_water (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    geom        geometry(MultiPolygon, 28992) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    imported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX context_water_geom_3857_gix ON context_water USING gist (geom_3857);
CREATE INDEX context_water_geom_gix ON context_water USING gist (geom);
