-- Access control: API keys, their casustafel binding and the audit log. Their functions and
-- triggers (and the suppression rule shared with C#) are defined in sql/functions/0600_access.sql.
-- No table here holds personal data: a key is named by a random id and a label that names an
-- organisation or purpose ("gemeente Amstelveen, wijkscan"), never a person.

-- A key is stored only as PBKDF2-HMAC-SHA256(token, salt, iterations); the token itself is
-- shown once at creation. Keys are revoked, never deleted, so the audit log keeps its subject.
CREATE TABLE api_key (
    id         text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{12}$'),
    role       text NOT NULL CHECK (role IN ('admin', 'analyst', 'member', 'viewer')),
    label      text NOT NULL DEFAULT '' CHECK (char_length(label) <= 100),
    hash       bytea NOT NULL CHECK (length(hash) = 32),
    salt       bytea NOT NULL CHECK (length(salt) >= 16),
    iterations int NOT NULL CHECK (iterations > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);

-- The casustafels a member (or a geographically bound viewer) reaches: its scope is the union
-- of their areas (scope_geom). A casustafel with keys cannot be deleted from under them.
CREATE TABLE api_key_casustafel (
    key_id        text NOT NULL REFERENCES api_key (id) ON DELETE CASCADE,
    casustafel_id text NOT NULL REFERENCES casustafel (id),
    PRIMARY KEY (key_id, casustafel_id)
);

-- Keys of admins and analysts reach everything; a trigger refuses to bind them to a casustafel.

-- Every scoped read (Wgs: sharing must be monitored): who, what, how much, when.
-- key_id is NULL only for trusted local jobs (the CLI), which record role 'admin'.
CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    key_id        text REFERENCES api_key (id),
    role          text NOT NULL CHECK (role IN ('admin', 'analyst', 'member', 'viewer')),
    casustafels   text[],
    endpoint      text NOT NULL CHECK (char_length(endpoint) BETWEEN 1 AND 200),
    area          text CHECK (char_length(area) <= 64),
    layer         text CHECK (char_length(layer) <= 64),
    z             int CHECK (z BETWEEN 0 AND 30),
    x             int CHECK (x >= 0),
    y             int CHECK (y >= 0),
    -- NULL only where nothing countable was returned: raster (PNG) tiles and map images.
    rows_returned bigint CHECK (rows_returned >= 0)
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_key_idx ON audit_log (key_id, at DESC);

-- Append-only: the log is evidence, so triggers refuse UPDATE, DELETE and TRUNCATE through any
-- role that respects them. (A superuser can still disable triggers; production runs the service
-- as a role that owns nothing here and has only INSERT/SELECT on audit_log: docs/access.md.)
