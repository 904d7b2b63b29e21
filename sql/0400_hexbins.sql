-- Hexagon grids over RD New with signal counts per cell, category and month.
--
-- Grid: flat-topped hexagons (a vertex points east and west, like ST_HexagonGrid), origin at
-- RD (0, 0), in axial coordinates (q, r). The cell SIZE is the CIRCUMRADIUS, which equals the
-- edge length (as in ST_HexagonGrid's `size`): a 250 m cell is 500 m from vertex to vertex,
-- 433 m between opposite edges and 0.162 km² in area.
--   centre(q, r) = (1.5 · size · q,  √3 · size · (r + q / 2))
-- The same arithmetic lives in GeoRisk.Core.Hexagons.HexGrid (C#); both must stay identical
-- (floating point included: the same operations in the same order), unit tests pin it.
--
-- hex_cell holds the cells that contain at least one signal (polygons for the tiles), hex_count
-- the counts. Both are kept current on ingest by hex_refresh_signals(ids) (the cells, categories
-- and months the given signals fall in) or hex_refresh_points(points) (whole cells around given
-- points: use it with the OLD location after a signal moved or was deleted). hex_rebuild()
-- recomputes everything; a refresh must leave the tables exactly as a rebuild would.
-- These functions are defined in sql/functions/0300_hexbins.sql.

-- The cell sizes that are kept; a fixed list (the tiles choose one per zoom level).
CREATE TABLE hex_size (
    size_m int PRIMARY KEY CHECK (size_m > 0)
);
INSERT INTO hex_size (size_m) VALUES (100), (250), (500), (1000), (2500);

CREATE TABLE hex_cell (
    size_m    int NOT NULL REFERENCES hex_size (size_m),
    q         int NOT NULL,
    r         int NOT NULL,
    geom      geometry(Polygon, 28992) NOT NULL,
    geom_3857 geometry(Polygon, 3857) NOT NULL,
    PRIMARY KEY (size_m, q, r)
);
CREATE INDEX hex_cell_geom_gix ON hex_cell USING gist (geom);
CREATE INDEX hex_cell_geom_3857_gix ON hex_cell USING gist (geom_3857);

-- n = number of signals, weight = sum of their reliability (0..1 each). month = first day of
-- the calendar month in Europe/Amsterdam time (signal_month).
CREATE TABLE hex_count (
    size_m   int NOT NULL,
    q        int NOT NULL,
    r        int NOT NULL,
    category text NOT NULL REFERENCES category (code),
    month    date NOT NULL,
    n        int NOT NULL CHECK (n > 0),
    weight   double precision NOT NULL,
    -- No foreign key to hex_cell: the refresh functions keep "a cell row exists for every cell
    -- with counts" themselves, and a deferred FK check per row doubled the rebuild time.
    PRIMARY KEY (size_m, q, r, category, month)
);
CREATE INDEX hex_count_month_idx ON hex_count (size_m, month);
