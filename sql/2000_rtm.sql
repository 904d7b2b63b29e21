-- Gelegenheidskaarten (Risk Terrain Modeling): risk-factor layers, the factor kinds they are
-- of, and stored, versioned models with their cells.
--
-- Factor layers are overlay datasets (layer 'factor') whose features are the physical places
-- that undermining crime uses: holiday parks, marinas, empty agricultural sheds, business
-- collective buildings, storage units, motorway exits. Like obstacles they are not crime
-- data: every model may use every factor layer, whichever programme loaded it.

CREATE TABLE rtm_factor_kind (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_-]{0,63}$'),
    label_nl    text NOT NULL CHECK (char_length(label_nl) BETWEEN 1 AND 100),
    label_en    text NOT NULL CHECK (char_length(label_en) BETWEEN 1 AND 100),
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
    sort_order  int  NOT NULL DEFAULT 100,
    created_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO rtm_factor_kind (code, label_nl, label_en, sort_order) VALUES
    ('vakantiepark',           'Vakantiepark',                       'Holiday park',                    10),
    ('jachthaven',             'Jachthaven',                         'Marina',                          20),
    ('agrarische-schuur',      'Agrarische schuur/stal (leegstaand)', 'Agricultural shed/barn (empty)',  30),
    ('bedrijfsverzamelgebouw', 'Bedrijfsverzamelgebouw',             'Business collective building',    40),
    ('opslagloods',            'Opslagloods/self-storage',           'Storage unit/self-storage',       50),
    ('snelweg-afrit',          'Snelweg-afrit',                      'Motorway exit',                   60);

ALTER TABLE overlay_dataset DROP CONSTRAINT overlay_dataset_layer_check;
ALTER TABLE overlay_dataset ADD CONSTRAINT overlay_dataset_layer_check CHECK (layer IN ('incidents', 'overlay', 'factor'));
ALTER TABLE overlay_dataset
    ADD COLUMN factor_kind text REFERENCES rtm_factor_kind (code),
    ADD CONSTRAINT overlay_dataset_factor_kind CHECK ((layer = 'factor') = (factor_kind IS NOT NULL));
CREATE INDEX overlay_dataset_factor_kind_idx ON overlay_dataset (factor_kind) WHERE factor_kind IS NOT NULL;

-- One fitted model of a study area. Versions count per study area; a model is never changed
-- after it is stored, so a gelegenheidskaart can always be traced to its inputs.
CREATE TABLE rtm_model (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    study_area  text NOT NULL CHECK (char_length(study_area) BETWEEN 1 AND 100),
    version     int  NOT NULL CHECK (version > 0),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    cell_size_m int  NOT NULL CHECK (cell_size_m > 0),
    -- inputs: periods, categories, factor kinds, operationalisations, factor datasets with
    -- their feature counts, the study area's boundary version.
    inputs      jsonb NOT NULL,
    -- the fit: intercept, kept factors (operationalisation, coefficient, RRV and interval),
    -- every candidate with its BIC, the stepwise path.
    fit         jsonb NOT NULL,
    -- fit on one period, test on the next: hit rate and PAI of the model and of a hot-spot map.
    validation  jsonb NOT NULL,
    cell_count  int  NOT NULL CHECK (cell_count >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (study_area, version)
);

-- The cells of a model's study area on the hexagon grid. rrs = product of the RRVs of the kept
-- factors present in the cell (1 when none is). fit_count/test_count are the signals of the
-- two periods (suppressed for viewers where they are shown).
CREATE TABLE rtm_cell (
    model_id   bigint NOT NULL REFERENCES rtm_model (id) ON DELETE CASCADE,
    q          int NOT NULL,
    r          int NOT NULL,
    rrs        double precision NOT NULL CHECK (rrs > 0),
    expected   double precision NOT NULL CHECK (expected >= 0),
    fit_count  int NOT NULL CHECK (fit_count >= 0),
    test_count int NOT NULL CHECK (test_count >= 0),
    factors    text[] NOT NULL DEFAULT '{}',
    -- the hexagon in web mercator, for the gelegenheidskaart tiles
    geom_3857  geometry(Polygon, 3857) NOT NULL,
    PRIMARY KEY (model_id, q, r)
);
CREATE INDEX rtm_cell_geom_3857_gix ON rtm_cell USING gist (geom_3857);

-- A new model changes the gelegenheidskaart tiles (trigger in sql/functions/2000_rtm.sql).
INSERT INTO data_version (name) VALUES ('rtm');
