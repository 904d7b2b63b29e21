-- The reference rule of signal (source → source_partner, category → category, precision →
-- location_precision, followup_status → followup_status), kept set-based instead of by four
-- foreign keys that probe the reference tables once per row (docs/intake.md, "Why integrity
-- still holds").
--
-- Writing signals: one statement trigger per INSERT or UPDATE groups the written rows by their
-- codes (one pass over the transition table), then locks each distinct code FOR KEY SHARE —
-- the lock a foreign-key check takes — and fails with foreign_key_violation (23503) when a code
-- is missing. A million-row import checks and locks about 35 rows instead of probing 4 million.
--
-- Changing the reference tables: deleting a code, changing a code's value or truncating the
-- table fails while a signal uses it (the NO ACTION rule the foreign keys had).
--
-- Concurrency is the foreign keys': a writer of signals holds KEY SHARE locks on the codes it
-- used until it commits, so a concurrent delete or rename of such a code waits for it and then
-- sees its rows (read committed takes a new snapshot per statement); a code deleted first makes
-- the writer's lock find no row, and the writer fails. Under repeatable read a delete could not
-- see rows committed after its snapshot, so codes are changed in read committed only (the
-- migrations and psql default).

CREATE OR REPLACE FUNCTION signal_references_missing(cats text[], srcs text[], precs text[], stats text[])
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    what text;
    reference_table text;
    codes text[];
    locked int;
    missing text;
BEGIN
    -- Always in this order, so that two writers lock codes in the same order and the first
    -- missing column named is the same for the same rows.
    FOR what, reference_table, codes IN
        VALUES ('category', 'category', cats), ('source', 'source_partner', srcs),
               ('precision', 'location_precision', precs), ('followup_status', 'followup_status', stats)
    LOOP
        EXECUTE format('SELECT 1 FROM %I WHERE code = ANY ($1) ORDER BY code FOR KEY SHARE', reference_table) USING codes;
        GET DIAGNOSTICS locked = ROW_COUNT;
        IF locked < cardinality(codes) THEN
            EXECUTE format('SELECT min(c) FROM unnest($1) c WHERE NOT EXISTS (SELECT 1 FROM %I r WHERE r.code = c)', reference_table)
                INTO missing USING codes;
            RAISE EXCEPTION 'insert or update on table "signal" violates the reference rule of column "%"', what
                USING ERRCODE = 'foreign_key_violation', TABLE = 'signal', COLUMN = what,
                      DETAIL = format('Key (%s)=(%s) is not present in its reference table.', what, missing);
        END IF;
    END LOOP;
END
$$;

-- Insert and update triggers both name their new rows new_rows, so one function serves both.
-- The grouping is by all four codes at once: a few hundred groups at most, one hash pass.
CREATE OR REPLACE FUNCTION signal_references_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cats text[]; srcs text[]; precs text[]; stats text[];
BEGIN
    WITH g AS MATERIALIZED (
        SELECT category, source, precision, followup_status FROM new_rows GROUP BY 1, 2, 3, 4
    )
    SELECT ARRAY(SELECT DISTINCT category FROM g), ARRAY(SELECT DISTINCT source FROM g),
           ARRAY(SELECT DISTINCT precision FROM g), ARRAY(SELECT DISTINCT followup_status FROM g)
    INTO cats, srcs, precs, stats;
    IF cardinality(cats) > 0 THEN
        PERFORM signal_references_missing(cats, srcs, precs, stats);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER signal_references_insert AFTER INSERT ON signal
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_references_check();
CREATE OR REPLACE TRIGGER signal_references_update AFTER UPDATE ON signal
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_references_check();

-- The reference side, per changed code (the tables hold a few dozen codes and change by
-- migration). TG_ARGV[0] names the column of signal; an index on it is not needed for a check
-- that runs when a code is retired.
CREATE OR REPLACE FUNCTION signal_reference_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    used boolean;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.code IS NOT DISTINCT FROM OLD.code THEN
        RETURN NULL;
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'codes of % are changed in a read committed transaction only', TG_TABLE_NAME
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM signal WHERE %I = $1)', TG_ARGV[0]) INTO used USING OLD.code;
    IF used THEN
        RAISE EXCEPTION 'update or delete on table "%" violates the reference rule of "signal"', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME,
                  DETAIL = format('Key (code)=(%s) is still referenced from table "signal".', OLD.code);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION signal_reference_truncate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM signal) THEN
        RAISE EXCEPTION 'cannot truncate table "%": signals refer to it', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER category_signal_guard AFTER UPDATE OF code OR DELETE ON category
    FOR EACH ROW EXECUTE FUNCTION signal_reference_guard('category');
CREATE OR REPLACE TRIGGER source_partner_signal_guard AFTER UPDATE OF code OR DELETE ON source_partner
    FOR EACH ROW EXECUTE FUNCTION signal_reference_guard('source');
CREATE OR REPLACE TRIGGER location_precision_signal_guard AFTER UPDATE OF code OR DELETE ON location_precision
    FOR EACH ROW EXECUTE FUNCTION signal_reference_guard('precision');
CREATE OR REPLACE TRIGGER followup_status_signal_guard AFTER UPDATE OF code OR DELETE ON followup_status
    FOR EACH ROW EXECUTE FUNCTION signal_reference_guard('followup_status');
CREATE OR REPLACE TRIGGER category_signal_truncate_guard BEFORE TRUNCATE ON category
    FOR EACH STATEMENT EXECUTE FUNCTION signal_reference_truncate_guard();
CREATE OR REPLACE TRIGGER source_partner_signal_truncate_guard BEFORE TRUNCATE ON source_partner
    FOR EACH STATEMENT EXECUTE FUNCTION signal_reference_truncate_guard();
CREATE OR REPLACE TRIGGER location_precision_signal_truncate_guard BEFORE TRUNCATE ON location_precision
    FOR EACH STATEMENT EXECUTE FUNCTION signal_reference_truncate_guard();
CREATE OR REPLACE TRIGGER followup_status_signal_truncate_guard BEFORE TRUNCATE ON followup_status
    FOR EACH STATEMENT EXECUTE FUNCTION signal_reference_truncate_guard();
