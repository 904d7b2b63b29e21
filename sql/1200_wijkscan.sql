-- Wijkscan and nulmeting: every sub-area (wijk, buurt) of a parent area scored at once and
-- stored with frozen inputs, so that a scan can be recomputed months later and compared with a
-- baseline. docs/wijkscan.md explains the model; GeoRisk.Core.Scans holds the C# side, and
-- sql/functions/0900_wijkscan.sql the SQL functions (scan_compute, scan_run, poisson_byar).

-- A stored scan. Everything that determines its result is frozen here: the boundary versions
-- (area ids of the parent, the sub-areas in scan_area and the region), the profile version,
-- the window and the data cut-off (signals imported after it do not count).
CREATE TABLE scan (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$'),
    parent_code      text NOT NULL,
    parent_area_id   bigint NOT NULL REFERENCES area (id),
    level            text NOT NULL REFERENCES area_kind (code),
    window_from      date NOT NULL,
    window_to        date NOT NULL,
    cutoff           timestamptz NOT NULL,
    profile_name     text NOT NULL,
    profile_version  int NOT NULL,
    -- Which computation produced the rows; a new model is a new value, never a silent change.
    model            text NOT NULL,
    region_area_ids  bigint[] NOT NULL,
    hotspot_cell_m   int NOT NULL REFERENCES hex_size (size_m),
    is_baseline      boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (window_to >= window_from),
    FOREIGN KEY (profile_name, profile_version) REFERENCES scoring_profile (name, version)
);
-- One nulmeting per parent and level.
CREATE UNIQUE INDEX scan_baseline_uq ON scan (parent_code, level) WHERE is_baseline;

CREATE TABLE scan_area (
    scan_id          bigint NOT NULL REFERENCES scan (id) ON DELETE CASCADE,
    area_id          bigint NOT NULL REFERENCES area (id),
    code             text NOT NULL,
    name             text NOT NULL,
    denominator      double precision NOT NULL,
    denominator_unit text NOT NULL,
    signal_count     int NOT NULL,
    source_count     int NOT NULL,
    counts           jsonb NOT NULL,
    expected_parent  double precision,
    rr_parent        double precision,
    rr_parent_low    double precision,
    rr_parent_high   double precision,
    expected_region  double precision,
    rr_region        double precision,
    rr_region_low    double precision,
    rr_region_high   double precision,
    rank             int NOT NULL,
    kandidaat        boolean NOT NULL,
    hotspot_cells    int NOT NULL,
    no_data          boolean NOT NULL,
    PRIMARY KEY (scan_id, code)
);
