-- Interventions that a casustafel carries out in an area (closing premises, camera
-- surveillance, an inspection week, a BIBOB round, an area ban), so that their effect and any
-- displacement (waterbedeffect) can be measured against the signals before and after.

CREATE TABLE intervention_kind (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    label_nl   text NOT NULL,
    label_en   text NOT NULL,
    sort_order int  NOT NULL DEFAULT 0
);

INSERT INTO intervention_kind (code, label_nl, label_en, sort_order) VALUES
    ('sluiting',       'Sluiting (pand)',      'Closure (premises)',     10),
    ('cameratoezicht', 'Cameratoezicht',       'Camera surveillance',    20),
    ('controleweek',   'Controleweek',         'Inspection week',        30),
    ('bibob',          'BIBOB-toets',          'BIBOB screening',        40),
    ('gebiedsverbod',  'Gebiedsverbod',        'Area ban',               50),
    ('overig',         'Overige interventie',  'Other intervention',     90);

-- Every edit adds a version and closes the previous one (superseded_at), as area boundaries
-- do, so an analysis can always say which definition it used. The target is either an
-- existing area (area_code, geometry copied at the time) or a drawn/uploaded polygon.
CREATE TABLE intervention (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    version       int  NOT NULL CHECK (version > 0),
    name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    kind          text NOT NULL REFERENCES intervention_kind (code),
    casustafel_id text NOT NULL REFERENCES casustafel (id),
    area_code     text,
    start_date    date NOT NULL,
    end_date      date,
    description   text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
    geom          geometry(MultiPolygon, 28992) NOT NULL,
    geom_4326     geometry(MultiPolygon, 4326) GENERATED ALWAYS AS (ST_Transform(geom, 4326)) STORED,
    created_by    text NOT NULL CHECK (char_length(created_by) BETWEEN 1 AND 100),
    created_at    timestamptz NOT NULL DEFAULT now(),
    superseded_at timestamptz,
    CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
    CHECK (end_date IS NULL OR end_date >= start_date),
    UNIQUE (code, version)
);
CREATE UNIQUE INDEX intervention_current_code_uq ON intervention (code) WHERE superseded_at IS NULL;
CREATE INDEX intervention_casustafel_idx ON intervention (casustafel_id) WHERE superseded_at IS NULL;
CREATE INDEX intervention_geom_gix ON intervention USING gist (geom);
