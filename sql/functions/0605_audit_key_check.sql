-- What the foreign key audit_log.key_id -> api_key.id guaranteed, checked per statement
-- (sql/2230_audit_key_check.sql says why): every audit row names an existing key (or none, for
-- local jobs), and a key that audit rows name stays.

-- Inserts: one anti-join over the statement's new rows. It needs no lock on the key rows,
-- because a key cannot disappear while rows that name it are being written (below).
CREATE OR REPLACE FUNCTION audit_log_check_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    SELECT a.key_id INTO missing FROM audit_added a
    WHERE a.key_id IS NOT NULL AND NOT EXISTS (SELECT FROM api_key k WHERE k.id = a.key_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'audit_log names key % that does not exist', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER audit_log_check_keys AFTER INSERT ON audit_log
    REFERENCING NEW TABLE AS audit_added
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_check_keys();

-- Deleting or renaming a key that audit rows name is refused. The SHARE lock waits for audit
-- inserts in flight to commit (so their rows are seen) and holds new ones back until this
-- transaction ends (their check then finds the key gone). Only READ COMMITTED takes a fresh
-- snapshot after that lock, so other isolation levels are refused. Runs as the owner: the
-- service's role may not lock the audit log.
CREATE OR REPLACE FUNCTION api_key_keep_audited() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'deleting or renaming an API key needs READ COMMITTED isolation'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    LOCK TABLE audit_log IN SHARE MODE;
    IF TG_OP = 'TRUNCATE' THEN
        IF EXISTS (SELECT FROM audit_log WHERE key_id IS NOT NULL) THEN
            RAISE EXCEPTION 'api_key cannot be truncated: audit_log names its keys'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT FROM audit_log WHERE key_id = OLD.id) THEN
        RAISE EXCEPTION 'API key % is named by audit_log rows and cannot be deleted or renamed (revoke it instead)', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE OR REPLACE TRIGGER api_key_keep_audited BEFORE DELETE OR UPDATE OF id ON api_key
    FOR EACH ROW EXECUTE FUNCTION api_key_keep_audited();
CREATE OR REPLACE TRIGGER api_key_keep_audited_truncate BEFORE TRUNCATE ON api_key
    FOR EACH STATEMENT EXECUTE FUNCTION api_key_keep_audited();
