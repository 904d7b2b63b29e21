-- Cell-key method (docs/access.md, "Suppression"): every signal carries a random record key,
-- and every stored count a suppressed caller can see keeps the sum of the record keys of
-- exactly the signals it counts next to it. publish_count (sql/functions/0610_cell_key.sql)
-- turns (count, key sum) into the published value. The key is not personal data, identifies
-- nothing outside this database and is never served.

-- Uniform on 0 .. M-1 with M = 1000 (GeoRisk.Core.Access.Suppression.CellKeyModulus). A
-- volatile default: the column is added with a table rewrite that draws a key per existing row.
ALTER TABLE signal ADD COLUMN record_key int NOT NULL DEFAULT floor(random() * 1000)::int
    CHECK (record_key >= 0 AND record_key < 1000);

-- Key sums are plain sums (not reduced mod M) so that the delta triggers of hex_total can add
-- and subtract them like n.
ALTER TABLE hex_count ADD COLUMN key_sum bigint NOT NULL DEFAULT 0;
ALTER TABLE hex_total ADD COLUMN key_sum bigint NOT NULL DEFAULT 0;
ALTER TABLE score ADD COLUMN key_sum bigint NOT NULL DEFAULT 0;
ALTER TABLE scan_area ADD COLUMN key_sum bigint NOT NULL DEFAULT 0;

-- Backfill what exists. hex_count from the signals, with the same binning as hex_rebuild; the
-- hex_total triggers of this moment do not know key_sum, so hex_total is summed afterwards.
-- Stored scores and scans get their key sums with the next scoring run or scan; until then a
-- key sum of 0 still gives consistent (if not set-specific) noise.
-- On a new database hex_count is empty and the binning functions (sql/functions/0300_hexbins.sql)
-- do not exist yet: PL/pgSQL plans the UPDATE only when it runs, and hex_count has rows only where
-- those functions wrote them.
DO $$
BEGIN
    IF EXISTS (SELECT FROM hex_count) THEN
        UPDATE hex_count h SET key_sum = k.key_sum
        FROM (SELECT z.size_m, hex_q(z.size_m, s.x, s.y) AS q, hex_r(z.size_m, s.x, s.y) AS r,
                     s.category, s.month, sum(s.record_key)::bigint AS key_sum
              FROM (SELECT ST_X(geom) AS x, ST_Y(geom) AS y, category, signal_month(observed_at) AS month, record_key
                    FROM signal OFFSET 0) s
              CROSS JOIN hex_size z
              GROUP BY 1, 2, 3, 4, 5) k
        WHERE h.size_m = k.size_m AND h.q = k.q AND h.r = k.r AND h.category = k.category AND h.month = k.month;
    END IF;
END $$;

UPDATE hex_total t SET key_sum = k.key_sum
FROM (SELECT size_m, q, r, sum(key_sum)::bigint AS key_sum FROM hex_count GROUP BY 1, 2, 3) k
WHERE t.size_m = k.size_m AND t.q = k.q AND t.r = k.r;

-- A count of distinct source partners is a count of a different set: each partner gets a record
-- key of its own, and such a count's key sum is the sum over the partners counted
-- (source_key_sum in sql/functions/0610_cell_key.sql).
ALTER TABLE source_partner ADD COLUMN record_key int NOT NULL DEFAULT floor(random() * 1000)::int
    CHECK (record_key >= 0 AND record_key < 1000);
ALTER TABLE score ADD COLUMN source_key_sum bigint NOT NULL DEFAULT 0;
ALTER TABLE scan_area ADD COLUMN source_key_sum bigint NOT NULL DEFAULT 0;
-- The previous window's signal count of a relative-risk score (its trend) is a third set.
ALTER TABLE score ADD COLUMN previous_key_sum bigint NOT NULL DEFAULT 0;

-- Incidents of the port programmes (overlay features) are counted for suppressed callers too
-- (the ports' waterbed series): they get record keys of their own.
ALTER TABLE overlay_feature ADD COLUMN record_key int NOT NULL DEFAULT floor(random() * 1000)::int
    CHECK (record_key >= 0 AND record_key < 1000);
-- A scan row also shows its count per category: one key sum per category, by category code.
ALTER TABLE scan_area ADD COLUMN category_key_sums jsonb NOT NULL DEFAULT '{}'::jsonb;

-- signal_area copies the attributes the per-area counts group by (sql/1130): the record key too,
-- so that a scoring run sums keys from the pairs alone. A record key never changes.
ALTER TABLE signal_area ADD COLUMN record_key int NOT NULL DEFAULT 0;
UPDATE signal_area sa SET record_key = s.record_key FROM signal s WHERE s.id = sa.signal_id;
