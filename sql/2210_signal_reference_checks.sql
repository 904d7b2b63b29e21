-- signal's four code columns (source, category, precision, followup_status) were checked by
-- foreign keys: four index probes per row, through a trigger call each, about 40 % of a bulk
-- import. The same rule is now kept by set-based statement triggers (sql/functions/
-- 2210_signal_references.sql): a statement that writes signals checks the few distinct codes it
-- uses once, locking those reference rows as a foreign key would, and the reference tables refuse
-- to delete, rename or truncate a code that a signal still uses (docs/intake.md, "Why integrity
-- still holds"). Nothing else changes: the columns stay NOT NULL, every stored row already
-- satisfies the rule (the foreign keys held until now).
ALTER TABLE signal
    DROP CONSTRAINT signal_source_fkey,
    DROP CONSTRAINT signal_category_fkey,
    DROP CONSTRAINT signal_precision_fkey,
    DROP CONSTRAINT signal_followup_status_fkey;
