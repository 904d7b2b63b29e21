-- GeoRisk data model, first cut (docs/architecture.md explains its rooms and flows).
-- Geometry is stored in RD New (EPSG:28992, metres) for true areas and distances, with a
-- stored EPSG:3857 copy for tiles. No column can hold a person's identity: signals describe
-- places and observations, never people.

CREATE EXTENSION IF NOT EXISTS postgis;

-- Reference tables: codes are stable API values, labels are shown in the UI (nl/en).
CREATE TABLE area_kind (
    code     text PRIMARY KEY,
    label_nl text NOT NULL,
    label_en text NOT NULL
);

CREATE TABLE category (
    code           text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    label_nl       text NOT NULL,
    label_en       text NOT NULL,
    description_nl text NOT NULL DEFAULT '',
    description_en text NOT NULL DEFAULT '',
    sort_order     int  NOT NULL DEFAULT 0
);

CREATE TABLE source_partner (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    label_nl   text NOT NULL,
    label_en   text NOT NULL,
    sort_order int  NOT NULL DEFAULT 0
);

-- RIEC werkwijze for following up a signal, in order.
CREATE TABLE followup_status (
    code       text PRIMARY KEY,
    label_nl   text NOT NULL,
    label_en   text NOT NULL,
    sort_order int  NOT NULL
);

CREATE TABLE location_precision (
    code     text PRIMARY KEY,
    label_nl text NOT NULL,
    label_en text NOT NULL
);

-- Areas keep every boundary version: a re-import with a new boundary closes the old one
-- (valid_to) so that trends over time use the boundary that was valid then.
CREATE TABLE area (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    kind          text NOT NULL REFERENCES area_kind (code),
    parent_code   text,
    exposure      double precision CHECK (exposure > 0),
    exposure_unit text CHECK (exposure_unit IN ('adressen', 'bedrijven', 'inwoners')),
    valid_from    date NOT NULL DEFAULT DATE '2000-01-01',
    valid_to      date,
    geom          geometry(MultiPolygon, 28992) NOT NULL,
    geom_3857     geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    area_km2      double precision GENERATED ALWAYS AS (ST_Area(geom) / 1e6) STORED,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK ((exposure IS NULL) = (exposure_unit IS NULL))
);
-- One current boundary per code.
CREATE UNIQUE INDEX area_current_code_uq ON area (code) WHERE valid_to IS NULL;
CREATE INDEX area_kind_idx ON area (kind) WHERE valid_to IS NULL;
CREATE INDEX area_geom_gix ON area USING gist (geom);
CREATE INDEX area_geom_3857_gix ON area USING gist (geom_3857);

CREATE TABLE signal (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          text NOT NULL REFERENCES source_partner (code),
    external_id     text NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 100),
    category        text NOT NULL REFERENCES category (code),
    observed_at     timestamptz NOT NULL,
    reliability     real NOT NULL DEFAULT 0.5 CHECK (reliability BETWEEN 0 AND 1),
    precision       text NOT NULL DEFAULT 'object' REFERENCES location_precision (code),
    geom            geometry(Point, 28992) NOT NULL,
    geom_3857       geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    -- A reference to an object (BAG id, KvK-vestigingsnummer of a premises), never to a person.
    object_ref      text CHECK (object_ref ~ '^[A-Za-z0-9._:/-]{1,64}$'),
    remark          text CHECK (char_length(remark) <= 280),
    followup_status text NOT NULL DEFAULT 'nieuw' REFERENCES followup_status (code),
    imported_at     timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, external_id)
);
CREATE INDEX signal_geom_gix ON signal USING gist (geom);
CREATE INDEX signal_geom_3857_gix ON signal USING gist (geom_3857);
CREATE INDEX signal_observed_at_idx ON signal (observed_at);
CREATE INDEX signal_category_idx ON signal (category, observed_at);

CREATE TABLE casustafel (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    name        text NOT NULL,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE casustafel_area (
    casustafel_id text NOT NULL REFERENCES casustafel (id) ON DELETE CASCADE,
    area_code     text NOT NULL,
    PRIMARY KEY (casustafel_id, area_code)
);

-- Members are organisations (partners) at the table, not people.
CREATE TABLE casustafel_member (
    casustafel_id text NOT NULL REFERENCES casustafel (id) ON DELETE CASCADE,
    partner       text NOT NULL REFERENCES source_partner (code),
    PRIMARY KEY (casustafel_id, partner)
);

-- The camera table's generated columns call camera_viewshed, so it exists before the table:
-- declared here with a placeholder body that sql/functions/0110_camera_viewshed.sql replaces
-- (the field of view as a sector polygon) before any camera can be stored.
CREATE FUNCTION camera_viewshed(location geometry, heading_deg double precision,
                                fov_deg double precision, range_m double precision)
RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT NULL::geometry $$;

CREATE TABLE camera (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id   text NOT NULL,
    owner         text NOT NULL,
    description   text NOT NULL DEFAULT '',
    geom          geometry(Point, 28992) NOT NULL,
    heading_deg   double precision NOT NULL CHECK (heading_deg >= 0 AND heading_deg < 360),
    fov_deg       double precision NOT NULL CHECK (fov_deg > 0 AND fov_deg <= 360),
    range_m       double precision NOT NULL CHECK (range_m > 0 AND range_m <= 2000),
    viewshed      geometry(Polygon, 28992) GENERATED ALWAYS AS (camera_viewshed(geom, heading_deg, fov_deg, range_m)) STORED,
    geom_3857     geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    viewshed_3857 geometry(Polygon, 3857) GENERATED ALWAYS AS (ST_Transform(camera_viewshed(geom, heading_deg, fov_deg, range_m), 3857)) STORED,
    UNIQUE (owner, external_id)
);
CREATE INDEX camera_geom_gix ON camera USING gist (geom);
CREATE INDEX camera_viewshed_3857_gix ON camera USING gist (viewshed_3857);

-- Point and polygon layers that a programme uploads (port incidents, inspections, ...).
CREATE TABLE overlay_dataset (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    name        text NOT NULL,
    programme   text NOT NULL,
    layer       text NOT NULL DEFAULT 'incidents' CHECK (layer IN ('incidents', 'overlay')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE overlay_feature (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id  bigint NOT NULL REFERENCES overlay_dataset (id) ON DELETE CASCADE,
    external_id text NOT NULL,
    kind        text NOT NULL,
    observed_at timestamptz,
    properties  jsonb NOT NULL DEFAULT '{}'::jsonb,
    geom        geometry(Geometry, 28992) NOT NULL CHECK (ST_IsValid(geom)),
    geom_3857   geometry(Geometry, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    UNIQUE (dataset_id, external_id)
);
CREATE INDEX overlay_feature_geom_gix ON overlay_feature USING gist (geom);
CREATE INDEX overlay_feature_geom_3857_gix ON overlay_feature USING gist (geom_3857);

-- Every constant of a scoring model lives in a named, versioned profile.
CREATE TABLE scoring_profile (
    name        text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    version     int  NOT NULL CHECK (version > 0),
    description text NOT NULL DEFAULT '',
    params      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);

-- Stored scores can be explained (components, flags) and reproduced (profile + version + date).
CREATE TABLE score (
    area_id         bigint NOT NULL REFERENCES area (id) ON DELETE CASCADE,
    profile_name    text NOT NULL,
    profile_version int  NOT NULL,
    reference_date  date NOT NULL,
    score           double precision NOT NULL CHECK (score BETWEEN 0 AND 100),
    raw             double precision NOT NULL,
    signal_count    int NOT NULL,
    source_count    int NOT NULL,
    components      jsonb NOT NULL,
    flags           jsonb NOT NULL DEFAULT '{}'::jsonb,
    computed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (area_id, profile_name, profile_version, reference_date),
    FOREIGN KEY (profile_name, profile_version) REFERENCES scoring_profile (name, version)
);
CREATE INDEX score_ranking_idx ON score (profile_name, profile_version, reference_date, score DESC);

-- Data version per table, bumped by ingest: tile caches and ETags key on it.
CREATE TABLE data_version (
    name    text PRIMARY KEY,
    version bigint NOT NULL DEFAULT 1,
    changed_at timestamptz NOT NULL DEFAULT now()
);
