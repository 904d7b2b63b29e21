-- Tile cache invalidation. Cached tiles must follow the data without a restart and
-- without throwing away tiles whose data did not change:
--  * tile_change logs WHERE signals and hexagon counts changed (boxes in EPSG:3857); the API
--    polls it and drops exactly the cached tiles touching those boxes, per zoom. A trigger is
--    the one place every writer passes (API import, CLI import, psql, hex refresh), including
--    writers in other processes.
--  * data_version is bumped per statement for the tables whose tiles are simply re-keyed
--    (areas, scores, cameras, overlays): their tiles include the version in the cache key.

-- More changed positions than this in one statement are logged as one "everywhere" row: a bulk
-- import re-renders everything anyway, and a million log rows would cost more than they save.
CREATE OR REPLACE FUNCTION tile_change_limit() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 20000 $$;

-- Signal positions (3857) as degenerate boxes, de-duplicated to the metre.
CREATE OR REPLACE FUNCTION tile_change_log_signal_points(points geometry[])
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF cardinality(points) IS NULL OR cardinality(points) = 0 THEN
        RETURN;
    ELSIF cardinality(points) > tile_change_limit() THEN
        INSERT INTO tile_change (source) VALUES ('signal');
    ELSE
        INSERT INTO tile_change (source, min_x, min_y, max_x, max_y)
        SELECT DISTINCT 'signal', round(ST_X(p)::numeric, 0), round(ST_Y(p)::numeric, 0),
                        round(ST_X(p)::numeric, 0), round(ST_Y(p)::numeric, 0)
        FROM unnest(points) AS p
        WHERE p IS NOT NULL;
    END IF;
END
$$;

-- Counting first keeps a bulk import from building an array of a million points. Insert and
-- delete triggers both name their transition table changed_rows, so one function serves both.
CREATE OR REPLACE FUNCTION tile_change_signal_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM changed_rows) > tile_change_limit() THEN
        INSERT INTO tile_change (source) VALUES ('signal');
    ELSE
        PERFORM tile_change_log_signal_points(ARRAY(SELECT geom_3857 FROM changed_rows));
    END IF;
    RETURN NULL;
END $$;

-- Only changes that tiles show: position, category, time, reliability. A follow-up status
-- change leaves the tiles alone.
CREATE OR REPLACE FUNCTION tile_change_signal_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM new_rows) > tile_change_limit() THEN
        INSERT INTO tile_change (source) VALUES ('signal');
        RETURN NULL;
    END IF;
    PERFORM tile_change_log_signal_points(ARRAY(
        SELECT g FROM old_rows o JOIN new_rows n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES (o.geom_3857), (n.geom_3857)) AS v(g)
        WHERE NOT ST_Equals(o.geom, n.geom) OR o.category <> n.category
           OR o.observed_at <> n.observed_at OR o.reliability <> n.reliability));
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER signal_tile_change_insert AFTER INSERT ON signal
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_change_signal_rows();
CREATE OR REPLACE TRIGGER signal_tile_change_update AFTER UPDATE ON signal
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_change_signal_update();
CREATE OR REPLACE TRIGGER signal_tile_change_delete AFTER DELETE ON signal
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_change_signal_rows();

-- Hexagon cells whose counts changed, as their 3857 bounding boxes.
CREATE OR REPLACE FUNCTION tile_change_log_hex_cells(sizes int[], qs int[], rs int[])
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF cardinality(sizes) IS NULL OR cardinality(sizes) = 0 THEN
        RETURN;
    ELSIF cardinality(sizes) > tile_change_limit() THEN
        INSERT INTO tile_change (source) VALUES ('hex');
    ELSE
        INSERT INTO tile_change (source, min_x, min_y, max_x, max_y)
        SELECT 'hex', ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
        FROM (SELECT DISTINCT size_m, q, r FROM unnest(sizes, qs, rs) AS t(size_m, q, r)) c
        -- The stored cell polygon when there is one (a cell's row goes only after its counts):
        -- building and transforming a polygon costs ~0.1 ms, thousands per refresh.
        CROSS JOIN LATERAL (SELECT coalesce((SELECT hc.geom_3857 FROM hex_cell hc
                                             WHERE hc.size_m = c.size_m AND hc.q = c.q AND hc.r = c.r),
                                            ST_Transform(hex_polygon(c.size_m, c.q, c.r), 3857))::box2d AS b
                            -- Once per cell: inlined, each of the four ST_XMin.. would look it up again.
                            OFFSET 0) x;
    END IF;
END
$$;

-- One function for insert, update and delete: each trigger names its rows changed_rows (for
-- an update the new rows: a hex_count update never moves a row to another cell).
CREATE OR REPLACE FUNCTION tile_change_hex_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM changed_rows) > tile_change_limit() THEN
        INSERT INTO tile_change (source) VALUES ('hex');
    ELSE
        PERFORM tile_change_log_hex_cells(ARRAY(SELECT size_m FROM changed_rows), ARRAY(SELECT q FROM changed_rows), ARRAY(SELECT r FROM changed_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER hex_count_tile_change_insert AFTER INSERT ON hex_count
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_change_hex_rows();
CREATE OR REPLACE TRIGGER hex_count_tile_change_update AFTER UPDATE ON hex_count
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_change_hex_rows();
CREATE OR REPLACE TRIGGER hex_count_tile_change_delete AFTER DELETE ON hex_count
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_change_hex_rows();

-- data_version bumps for the tables whose tiles are re-keyed as a whole.
CREATE OR REPLACE FUNCTION tile_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO data_version AS d (name) VALUES (TG_ARGV[0])
    ON CONFLICT (name) DO UPDATE SET version = d.version + 1, changed_at = now();
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER area_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON area
    FOR EACH STATEMENT EXECUTE FUNCTION tile_data_version_bump('area');
CREATE OR REPLACE TRIGGER score_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON score
    FOR EACH STATEMENT EXECUTE FUNCTION tile_data_version_bump('score');
CREATE OR REPLACE TRIGGER camera_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON camera
    FOR EACH STATEMENT EXECUTE FUNCTION tile_data_version_bump('camera');
CREATE OR REPLACE TRIGGER overlay_feature_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON overlay_feature
    FOR EACH STATEMENT EXECUTE FUNCTION tile_data_version_bump('overlay');
CREATE OR REPLACE TRIGGER overlay_dataset_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON overlay_dataset
    FOR EACH STATEMENT EXECUTE FUNCTION tile_data_version_bump('overlay');
-- The interventions register: the factsheet's intervention section is cached under this version
-- (kinds too: their labels are printed).
CREATE OR REPLACE TRIGGER intervention_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON intervention
    FOR EACH STATEMENT EXECUTE FUNCTION tile_data_version_bump('intervention');
CREATE OR REPLACE TRIGGER intervention_kind_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON intervention_kind
    FOR EACH STATEMENT EXECUTE FUNCTION tile_data_version_bump('intervention');
-- Bumps a data_version row at most once per transaction: an import's upsert (INSERT … ON CONFLICT
-- DO UPDATE) fires both its INSERT and its UPDATE statement triggers, and one committed change is
-- one new version. The mark is a transaction-local setting, gone at commit or rollback.
CREATE OR REPLACE FUNCTION data_version_bump_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('georisk.data_version_bumped_' || TG_ARGV[0], true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('georisk.data_version_bumped_' || TG_ARGV[0], 'yes', true);
        INSERT INTO data_version AS d (name) VALUES (TG_ARGV[0])
        ON CONFLICT (name) DO UPDATE SET version = d.version + 1, changed_at = now();
    END IF;
    RETURN NULL;
END $$;

-- Every writer of signals (the importer, psql, a bench, a script deleting signals) bumps 'signal',
-- so a cache keyed on the version cannot miss a change. Only the columns a count or a tile depends
-- on: a follow-up status change leaves it alone. An import with nothing new runs no statement on
-- signal and bumps nothing.
CREATE OR REPLACE TRIGGER signal_data_version AFTER INSERT OR UPDATE OF geom, category, observed_at, reliability, source, remark, object_ref, precision OR DELETE OR TRUNCATE ON signal
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_once('signal');
-- Scopes are built from casustafel areas: a change there changes what a scoped tile shows.
CREATE OR REPLACE TRIGGER casustafel_area_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON casustafel_area
    FOR EACH STATEMENT EXECUTE FUNCTION tile_data_version_bump('casustafel');
