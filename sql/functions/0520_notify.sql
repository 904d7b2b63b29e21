-- Change notifications for in-process caches of every API node (LISTEN/NOTIFY).
-- A NOTIFY is delivered on commit, only for committed transactions, to every session that
-- listens on the database it was sent in. Nodes therefore listen on the primary (NOTIFY is not
-- replicated to streaming replicas).
--
--  * georisk_key: payload = a key id whose row or casustafels changed ('*' = every key, e.g. a
--    new scoring profile version changes the suppression k that authentication hands out).
--    The key cache of every node drops that entry; the next request reads the row again.
--  * georisk_tiles: payload 'change' (new tile_change rows) or 'version' (data_version bumped);
--    the tile cache watcher reads what changed at once instead of polling every second.
-- Identical payloads within one transaction are folded into one notification by PostgreSQL.


CREATE OR REPLACE FUNCTION notify_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'api_key' THEN
        PERFORM pg_notify('georisk_key', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    ELSIF TG_TABLE_NAME = 'api_key_casustafel' THEN
        PERFORM pg_notify('georisk_key', CASE WHEN TG_OP = 'DELETE' THEN OLD.key_id ELSE NEW.key_id END);
        IF TG_OP = 'UPDATE' THEN
            PERFORM pg_notify('georisk_key', OLD.key_id);
        END IF;
    ELSE
        PERFORM pg_notify('georisk_key', '*');
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER api_key_notify AFTER INSERT OR UPDATE OR DELETE ON api_key
    FOR EACH ROW EXECUTE FUNCTION notify_key_change();
CREATE OR REPLACE TRIGGER api_key_casustafel_notify AFTER INSERT OR UPDATE OR DELETE ON api_key_casustafel
    FOR EACH ROW EXECUTE FUNCTION notify_key_change();
-- access_suppression_k() reads the default scoring profile: every cached scope may be stale.
CREATE OR REPLACE TRIGGER scoring_profile_key_notify AFTER INSERT OR UPDATE OR DELETE ON scoring_profile
    FOR EACH STATEMENT EXECUTE FUNCTION notify_key_change();

CREATE OR REPLACE FUNCTION notify_tile_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('georisk_tiles', TG_ARGV[0]);
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER tile_change_notify AFTER INSERT ON tile_change
    FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change('change');
CREATE OR REPLACE TRIGGER data_version_notify AFTER INSERT OR UPDATE ON data_version
    FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change('version');
