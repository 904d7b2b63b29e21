-- Port programmes: their own camera registries, incident datasets and obstacles (building
-- footprints), camera lifetimes for coverage "at the time it happened", and the line-of-sight
-- view of each camera. A programme is named by a casustafel id (westelijk-havengebied,
-- bloemenveiling, ...): its members see its cameras and incidents, nobody else's.

ALTER TABLE camera
    ADD COLUMN programme   text CHECK (programme ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    ADD COLUMN height_m    double precision CHECK (height_m >= 0 AND height_m <= 300),
    ADD COLUMN status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'planned', 'removed')),
    ADD COLUMN active_from date,
    ADD COLUMN active_to   date,
    -- What the camera really sees: the sector minus what obstacles hide. Equal to viewshed
    -- until obstacles are loaded near it; the importers recompute it (C#, PortViewshed).
    ADD COLUMN view_geom   geometry(Geometry, 28992),
    ADD COLUMN updated_at  timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT camera_active_period CHECK (active_to IS NULL OR active_from IS NULL OR active_to > active_from),
    -- A removed camera covered until it was taken down; without that date coverage in the past would be a guess.
    ADD CONSTRAINT camera_removed_has_end CHECK (status <> 'removed' OR active_to IS NOT NULL);

-- Demo and earlier cameras belong to the programme of the casustafel whose area holds them.
UPDATE camera c SET programme = (
    SELECT ca.casustafel_id FROM casustafel_area ca JOIN area a ON a.code = ca.area_code AND a.valid_to IS NULL
    WHERE ST_Intersects(a.geom, c.geom) ORDER BY ca.casustafel_id LIMIT 1);

-- view_geom starts as the plain sector; the trigger camera_view_default
-- (sql/functions/0110_camera_viewshed.sql) keeps it so for new, moved or re-aimed cameras.
UPDATE camera SET view_geom = viewshed;
ALTER TABLE camera ALTER COLUMN view_geom SET NOT NULL;
CREATE INDEX camera_view_geom_gix ON camera USING gist (view_geom);
CREATE INDEX camera_viewshed_gix ON camera USING gist (viewshed);
-- A registry is keyed by programme + its own camera id (re-imports update in place);
-- two programmes may both number their cameras CAM-001.
ALTER TABLE camera DROP CONSTRAINT camera_owner_external_id_key;
CREATE UNIQUE INDEX camera_programme_external_uq ON camera (programme, external_id);

-- Building footprints and other things a camera cannot see through (e.g. a BAG extract).
-- Physical objects, not crime data: every camera is clipped by every obstacle near it,
-- whichever programme loaded it.
CREATE TABLE obstacle (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme   text NOT NULL CHECK (programme ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
    kind        text NOT NULL DEFAULT 'pand' CHECK (kind ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    height_m    double precision CHECK (height_m >= 0 AND height_m <= 1000),
    geom        geometry(MultiPolygon, 28992) NOT NULL CHECK (ST_IsValid(geom)),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (programme, external_id)
);
CREATE INDEX obstacle_geom_gix ON obstacle USING gist (geom);

-- Incident datasets name their programme by casustafel id too; the old mixed demo dataset
-- (both mainports under one label) is replaced by one dataset per programme in the seed.
DELETE FROM overlay_dataset WHERE code = 'haven-incidenten' AND programme = 'Programma Mainports';
CREATE INDEX overlay_dataset_programme_idx ON overlay_dataset (programme);
CREATE INDEX overlay_feature_observed_idx ON overlay_feature (dataset_id, observed_at);
