-- Tile cache invalidation. Cached tiles must follow the data without a restart and
-- without throwing away tiles whose data did not change:
--  * tile_change logs WHERE signals and hexagon counts changed (boxes in EPSG:3857); the API
--    polls it and drops exactly the cached tiles touching those boxes, per zoom. A trigger is
--    the one place every writer passes (API import, CLI import, psql, hex refresh), including
--    writers in other processes.
--  * data_version is bumped per statement for the tables whose tiles are simply re-keyed
--    (areas, scores, cameras, overlays): their tiles include the version in the cache key.
-- The functions and triggers that write both are defined in sql/functions/0500_tile_change.sql.

CREATE TABLE tile_change (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 'signal': signal positions; 'hex': hexagon cells (hex_count).
    source     text NOT NULL CHECK (source IN ('signal', 'hex')),
    -- NULL box: too many rows changed at once to list them; every tile of the source is stale.
    min_x      double precision,
    min_y      double precision,
    max_x      double precision,
    max_y      double precision,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tile_change_changed_at_idx ON tile_change (changed_at);
