-- Access control (issue 6): API keys, their casustafel binding, the audit log, and the
-- suppression rule shared with C# (GeoRisk.Core.Access.Suppression).
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

-- Keys of admins and analysts reach everything; binding them to a casustafel would suggest a
-- restriction that does not exist. Members need at least one casustafel (checked on create).
CREATE FUNCTION api_key_casustafel_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT role FROM api_key WHERE id = NEW.key_id) IN ('admin', 'analyst') THEN
        RAISE EXCEPTION 'an admin or analyst key cannot be bound to a casustafel'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER api_key_casustafel_check BEFORE INSERT OR UPDATE ON api_key_casustafel
    FOR EACH ROW EXECUTE FUNCTION api_key_casustafel_check();

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

-- Append-only: the log is evidence, so no UPDATE, DELETE or TRUNCATE through any role that
-- respects triggers. (A superuser can still disable triggers; production runs the service
-- as a role that owns nothing here and has only INSERT/SELECT on audit_log: docs/access.md.)
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Statistical disclosure control for suppressed callers, identical to
-- GeoRisk.Core.Access.Suppression.Apply: n < k (0 included) -> NULL (suppressed); otherwise
-- n rounded to the nearest multiple of 5 (CBS "afronden op vijftallen"), and never below k
-- (then the first multiple of 5 >= k). Use in aggregate SQL as
--   CASE WHEN $suppressed THEN suppress_count(count(*), $k) ELSE count(*) END
-- and drop grid cells with count(*) < $k (HAVING) for suppressed callers.
CREATE FUNCTION suppress_count(n bigint, k int)
RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN n < k THEN NULL
        WHEN (n + 2) / 5 * 5 < k THEN (k + 4) / 5 * 5
        ELSE (n + 2) / 5 * 5
    END
$$;

-- The suppression threshold k for suppressed callers: params.suppression_k of the newest
-- version of the default scoring profile 'riec-standaard' (issue 4, ScoringProfile.DefaultName),
-- else 5 (issue 6). Read with the key row on every request, so a new profile version applies at once.
CREATE FUNCTION access_suppression_k()
RETURNS int
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT coalesce(
        (SELECT (p.params ->> 'suppression_k')::int
         FROM scoring_profile p
         WHERE p.name = 'riec-standaard' AND p.params ? 'suppression_k'
         ORDER BY p.version DESC
         LIMIT 1),
        5)
$$;
