-- Keeps signal_area (sql/1110_signal_area.sql, sql/1130_signal_area_attributes.sql,
-- sql/2100_signal_area_position.sql) equal to a fresh
--   SELECT a.id, s.id, s.observed_at, s.imported_at, s.category, s.source, s.reliability,
--          s.record_key, ST_X(s.geom), ST_Y(s.geom)
--   FROM area a JOIN signal s ON ST_Intersects(a.geom, s.geom)
-- through every writer (API and CLI imports, boundary imports, psql): statement-level triggers
-- with transition tables, so a bulk import pays one set-based join, not one per row.
--
-- Concurrency: a signal import and a boundary import running at the same time would each miss
-- the pairs of the other's uncommitted rows. Area changes therefore lock signal_area in SHARE ROW
-- EXCLUSIVE mode and signal changes in ROW EXCLUSIVE mode BEFORE reading: the later of the two
-- waits until the other committed and then reads with a fresh snapshot (read committed takes one
-- per statement). Signal imports do not wait for each other here (the importers serialise them
-- with an advisory lock of their own before they write).

CREATE OR REPLACE FUNCTION signal_area_signal_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE signal_area IN ROW EXCLUSIVE MODE;
    INSERT INTO signal_area (area_id, signal_id, observed_at, imported_at, category, source, reliability, record_key, x, y)
    SELECT a.id, n.id, n.observed_at, n.imported_at, n.category, n.source, n.reliability, n.record_key, ST_X(n.geom), ST_Y(n.geom)
    FROM new_rows n
    JOIN area a ON ST_Intersects(a.geom, n.geom);
    RETURN NULL;
END $$;

-- Only a moved signal changes its areas (its pairs are deleted and joined again, with the new
-- position); a changed time, category, source or reliability is copied to its pairs; a follow-up status change costs a join of the transition tables and
-- nothing else.
CREATE OR REPLACE FUNCTION signal_area_signal_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                   WHERE (o.geom, o.observed_at, o.imported_at, o.category, o.source, o.reliability)
                         IS DISTINCT FROM (n.geom, n.observed_at, n.imported_at, n.category, n.source, n.reliability)) THEN
        RETURN NULL;
    END IF;
    LOCK TABLE signal_area IN ROW EXCLUSIVE MODE;
    UPDATE signal_area sa
    SET observed_at = n.observed_at, imported_at = n.imported_at, category = n.category, source = n.source, reliability = n.reliability
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE sa.signal_id = n.id AND o.geom IS NOT DISTINCT FROM n.geom
      AND (o.observed_at, o.imported_at, o.category, o.source, o.reliability)
          IS DISTINCT FROM (n.observed_at, n.imported_at, n.category, n.source, n.reliability);
    DELETE FROM signal_area sa
    USING old_rows o JOIN new_rows n ON n.id = o.id
    WHERE sa.signal_id = n.id AND o.geom IS DISTINCT FROM n.geom;
    INSERT INTO signal_area (area_id, signal_id, observed_at, imported_at, category, source, reliability, record_key, x, y)
    SELECT a.id, n.id, n.observed_at, n.imported_at, n.category, n.source, n.reliability, n.record_key, ST_X(n.geom), ST_Y(n.geom)
    FROM old_rows o
    JOIN new_rows n ON n.id = o.id
    JOIN area a ON ST_Intersects(a.geom, n.geom)
    WHERE o.geom IS DISTINCT FROM n.geom;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION signal_area_signal_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM signal_area sa USING old_rows o WHERE sa.signal_id = o.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION signal_area_area_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE signal_area IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO signal_area (area_id, signal_id, observed_at, imported_at, category, source, reliability, record_key, x, y)
    SELECT n.id, s.id, s.observed_at, s.imported_at, s.category, s.source, s.reliability, s.record_key, ST_X(s.geom), ST_Y(s.geom)
    FROM new_rows n
    JOIN signal s ON ST_Intersects(n.geom, s.geom);
    RETURN NULL;
END $$;

-- Closing a boundary version (valid_to), a new name or exposure leave its signals as they are;
-- only a changed geometry is joined again.
CREATE OR REPLACE FUNCTION signal_area_area_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.geom IS DISTINCT FROM n.geom) THEN
        RETURN NULL;
    END IF;
    LOCK TABLE signal_area IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM signal_area sa
    USING old_rows o JOIN new_rows n ON n.id = o.id
    WHERE sa.area_id = n.id AND o.geom IS DISTINCT FROM n.geom;
    INSERT INTO signal_area (area_id, signal_id, observed_at, imported_at, category, source, reliability, record_key, x, y)
    SELECT n.id, s.id, s.observed_at, s.imported_at, s.category, s.source, s.reliability, s.record_key, ST_X(s.geom), ST_Y(s.geom)
    FROM old_rows o
    JOIN new_rows n ON n.id = o.id
    JOIN signal s ON ST_Intersects(n.geom, s.geom)
    WHERE o.geom IS DISTINCT FROM n.geom;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION signal_area_area_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM signal_area sa USING old_rows o WHERE sa.area_id = o.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION signal_area_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE signal_area;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER signal_area_signal_insert AFTER INSERT ON signal
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_area_signal_insert();
CREATE OR REPLACE TRIGGER signal_area_signal_update AFTER UPDATE ON signal
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_area_signal_update();
CREATE OR REPLACE TRIGGER signal_area_signal_delete AFTER DELETE ON signal
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_area_signal_delete();
CREATE OR REPLACE TRIGGER signal_area_signal_truncate AFTER TRUNCATE ON signal
    FOR EACH STATEMENT EXECUTE FUNCTION signal_area_truncate();
CREATE OR REPLACE TRIGGER signal_area_area_insert AFTER INSERT ON area
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_area_area_insert();
CREATE OR REPLACE TRIGGER signal_area_area_update AFTER UPDATE ON area
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_area_area_update();
CREATE OR REPLACE TRIGGER signal_area_area_delete AFTER DELETE ON area
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_area_area_delete();
CREATE OR REPLACE TRIGGER signal_area_area_truncate AFTER TRUNCATE ON area
    FOR EACH STATEMENT EXECUTE FUNCTION signal_area_truncate();
