-- Access control: the key/casustafel rule, the append-only audit log and the suppression rule
-- shared with C# (GeoRisk.Core.Access.Suppression).

-- Keys of admins and analysts reach everything; binding them to a casustafel would suggest a
-- restriction that does not exist. Members need at least one casustafel (checked on create).
CREATE OR REPLACE FUNCTION api_key_casustafel_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT role FROM api_key WHERE id = NEW.key_id) IN ('admin', 'analyst') THEN
        RAISE EXCEPTION 'an admin or analyst key cannot be bound to a casustafel'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER api_key_casustafel_check BEFORE INSERT OR UPDATE ON api_key_casustafel
    FOR EACH ROW EXECUTE FUNCTION api_key_casustafel_check();

-- Append-only: the log is evidence, so no UPDATE, DELETE or TRUNCATE through any role that
-- respects triggers. (A superuser can still disable triggers; production runs the service
-- as a role that owns nothing here and has only INSERT/SELECT on audit_log: docs/access.md.)
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE OR REPLACE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Statistical disclosure control for suppressed callers, identical to
-- GeoRisk.Core.Access.Suppression.Apply: n < k (0 included) -> NULL (suppressed); otherwise
-- n rounded to the nearest multiple of 5 (CBS "afronden op vijftallen"), and never below k
-- (then the first multiple of 5 >= k). Use in aggregate SQL as
--   CASE WHEN $suppressed THEN suppress_count(count(*), $k) ELSE count(*) END
-- and drop grid cells with count(*) < $k (HAVING) for suppressed callers.
CREATE OR REPLACE FUNCTION suppress_count(n bigint, k int)
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
-- version of the default scoring profile 'riec-standaard' (ScoringProfile.DefaultName), else 5.
-- Read with the key row on every request, so a new profile version applies at once.
CREATE OR REPLACE FUNCTION access_suppression_k()
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
