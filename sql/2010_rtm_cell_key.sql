-- Cell-key method (docs/access.md, "Cell-key method") for the gelegenheidskaart's cells: the
-- signal counts of the fit and test periods keep the sums of the record keys of exactly the
-- signals they count, so that a suppressed caller gets them through publish_count like every
-- other count. Without it, two models of one study area that differ by a category or a day
-- could be subtracted cell by cell.
ALTER TABLE rtm_cell
    ADD COLUMN fit_key_sum bigint NOT NULL DEFAULT 0,
    ADD COLUMN test_key_sum bigint NOT NULL DEFAULT 0;

-- Models stored before this migration: the key sums of the signals the stored inputs select
-- now (the same binning as rtm_counts). Where signals changed since the model was fitted the
-- sum belongs to a slightly different set: the noise stays fixed per cell all the same, which is
-- what matters; a sum of 0 everywhere would give every old cell the same noise.
-- A new database has no models, and the binning functions (sql/functions/0300_hexbins.sql) do
-- not exist yet: PL/pgSQL plans the UPDATE only when it runs.
DO $$
BEGIN
    IF EXISTS (SELECT FROM rtm_cell) THEN
        UPDATE rtm_cell c SET fit_key_sum = k.fit_key_sum, test_key_sum = k.test_key_sum
        FROM (
            SELECT m.id AS model_id, hex_q(m.cell_size_m, ST_X(s.geom), ST_Y(s.geom)) AS q, hex_r(m.cell_size_m, ST_X(s.geom), ST_Y(s.geom)) AS r,
                   coalesce(sum(s.record_key) FILTER (WHERE s.observed_at >= ((m.inputs -> 'fit_period' ->> 'from')::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
                                                       AND s.observed_at < ((m.inputs -> 'fit_period' ->> 'to')::date::timestamp AT TIME ZONE 'Europe/Amsterdam')), 0)::bigint AS fit_key_sum,
                   coalesce(sum(s.record_key) FILTER (WHERE s.observed_at >= ((m.inputs -> 'test_period' ->> 'from')::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
                                                       AND s.observed_at < ((m.inputs -> 'test_period' ->> 'to')::date::timestamp AT TIME ZONE 'Europe/Amsterdam')), 0)::bigint AS test_key_sum
            FROM rtm_model m
            JOIN area a ON a.code = m.study_area AND a.valid_to IS NULL
            JOIN signal s ON ST_DWithin(s.geom, a.geom, m.cell_size_m)
            WHERE jsonb_typeof(m.inputs -> 'categories') IS DISTINCT FROM 'array'
               OR s.category IN (SELECT jsonb_array_elements_text(m.inputs -> 'categories'))
            GROUP BY 1, 2, 3
        ) k
        WHERE c.model_id = k.model_id AND c.q = k.q AND c.r = k.r;
    END IF;
END $$;
