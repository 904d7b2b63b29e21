-- Hexbin tiles: the cells of one hexagon size inside a tile with their counts under a
-- filter, the rate per km² and an approximate Getis-Ord Gi* over the cell and its six
-- neighbours. Reads the pre-aggregated grids (hex_cell, hex_count), so a tile costs
-- an index lookup, not a binning of signals (on-the-fly hexagons measured 338 ms vs 2 ms).

-- Totals per cell over every category and month: what an unfiltered tile shows, pre-summed so
-- that it does not add up a few hundred (category, month) rows per cell. Kept equal to
-- "SELECT size_m, q, r, sum(n), sum(weight) FROM hex_count GROUP BY 1, 2, 3" by the triggers below.
CREATE TABLE hex_total (
    size_m int NOT NULL,
    q      int NOT NULL,
    r      int NOT NULL,
    n      int NOT NULL,
    weight double precision NOT NULL,
    PRIMARY KEY (size_m, q, r)
);

-- Whatever hex_count holds already; from here on the triggers of
-- sql/functions/0510_hexbin_tiles.sql keep it current, and that file defines the tile functions.
INSERT INTO hex_total (size_m, q, r, n, weight)
SELECT size_m, q, r, sum(n)::int, sum(weight) FROM hex_count GROUP BY size_m, q, r;
