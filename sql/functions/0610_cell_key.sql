-- Cell-key method for suppressed callers (docs/access.md, "Suppression"), identical to
-- GeoRisk.Core.Access.Suppression.Publish / CellKeyNoise (a test compares the two on a random
-- sample). Rounding each count on its own lets a caller subtract "all categories" minus "all but
-- one" (or a cell minus its parts) and, over a few such pairs, narrow the left-out count down.
-- Noise that depends on the exact SET of signals counted closes that: the same set always gets
-- the same noise (asking again reveals nothing), a set that differs by even one signal gets an
-- independent draw.
--
-- Cell key = (sum of the record keys of the counted signals) mod 1000; record keys are uniform
-- on 0..999 (signal.record_key), so the cell key of any non-empty set is uniform too. The
-- perturbation table maps cell-key ranges to noise (probability = width / 1000):
--
--   cell key    0-19  20-69  70-169  170-349  350-649  650-829  830-929  930-979  980-999
--   noise        -4     -3     -2      -1        0       +1       +2       +3       +4
--   per mille    20     50    100     180      300      180      100       50       20
--
-- Symmetric: mean 0, variance 2.7. The table does not depend on n: counts below k are
-- withheld before any noise is added, so no small-count rows are needed.
CREATE OR REPLACE FUNCTION cell_key_noise(key_sum bigint)
RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN key_sum % 1000 < 20 THEN -4
        WHEN key_sum % 1000 < 70 THEN -3
        WHEN key_sum % 1000 < 170 THEN -2
        WHEN key_sum % 1000 < 350 THEN -1
        WHEN key_sum % 1000 < 650 THEN 0
        WHEN key_sum % 1000 < 830 THEN 1
        WHEN key_sum % 1000 < 930 THEN 2
        WHEN key_sum % 1000 < 980 THEN 3
        ELSE 4
    END
$$;

-- The published count of a set of n signals whose record keys sum to key_sum, for threshold k:
--   n < k (0 included)         -> NULL (withheld; the exact count decides, so a true 0 never shows)
--   n' = n + noise, then the rule of suppress_count: NULL when n' < k, else n' rounded to the
--   nearest multiple of 5, never below k (then the first multiple of 5 >= k).
-- So |published - n| <= 4 + 2 = 6, and <= 8 when k is not a multiple of 5.
-- Not STRICT, one expression and no call of the STRICT suppress_count (whose rule it repeats),
-- so the planner inlines it: the hexbin tile path is hot.
-- Use as: CASE WHEN $k IS NULL THEN count(*) ELSE publish_count(count(*), sum(record_key), $k) END
CREATE OR REPLACE FUNCTION publish_count(n bigint, key_sum bigint, k int)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN k IS NULL THEN n -- no suppression: the exact count
        WHEN n < k THEN NULL
        WHEN n + cell_key_noise(coalesce(key_sum, 0)) < k THEN NULL
        WHEN (n + cell_key_noise(coalesce(key_sum, 0)) + 2) / 5 * 5 < k THEN (k + 4) / 5 * 5
        ELSE (n + cell_key_noise(coalesce(key_sum, 0)) + 2) / 5 * 5
    END
$$;

-- The key sum of a count of distinct source partners: the sum of those partners' record keys.
-- Use as publish_count(count(DISTINCT source), source_key_sum(array_agg(DISTINCT source)), $k).
CREATE OR REPLACE FUNCTION source_key_sum(sources text[])
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT coalesce(sum(sp.record_key), 0)::bigint FROM source_partner sp WHERE sp.code = ANY (sources)
$$;

-- A record key is drawn once, when its row is written, and never changes: every stored key sum
-- (hex_count, signal_area, rtm cells, scans) was added up from it, and the same set of records
-- must keep drawing the same noise. A changed key would leave those sums stale and give a caller
-- a second, independent draw for the same set. So an UPDATE that changes one is refused; only
-- statements that name record_key in their SET list pay for the check.
CREATE OR REPLACE FUNCTION record_key_fixed()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION '%.record_key is fixed when the row is written and cannot change', TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
END
$$;

CREATE OR REPLACE TRIGGER signal_record_key_fixed
    BEFORE UPDATE OF record_key ON signal
    FOR EACH ROW WHEN (OLD.record_key IS DISTINCT FROM NEW.record_key)
    EXECUTE FUNCTION record_key_fixed();
CREATE OR REPLACE TRIGGER source_partner_record_key_fixed
    BEFORE UPDATE OF record_key ON source_partner
    FOR EACH ROW WHEN (OLD.record_key IS DISTINCT FROM NEW.record_key)
    EXECUTE FUNCTION record_key_fixed();
CREATE OR REPLACE TRIGGER overlay_feature_record_key_fixed
    BEFORE UPDATE OF record_key ON overlay_feature
    FOR EACH ROW WHEN (OLD.record_key IS DISTINCT FROM NEW.record_key)
    EXECUTE FUNCTION record_key_fixed();
