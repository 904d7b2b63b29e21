-- Signals and incidents per mainport and month: the waterbed chart, where displacement from one
-- port to another after an intervention shows. Mainports outside the caller's scope are left
-- out; for suppressed callers every count is published by publish_count (cell-key noise of the
-- signals or incidents counted, then below k null and the rest rounded).
-- $1 from, $2 to (exclusive), $3 caller scope, $4 programmes whose incidents count (NULL = all), $5 k (NULL = exact).
WITH ports AS (
    SELECT a.code, a.name, a.geom FROM area a
    WHERE a.kind = 'mainport' AND a.valid_to IS NULL
      AND area_in_scope(a.geom, $3::text[])
), months AS (
    SELECT m::date AS month FROM generate_series(date_trunc('month', $1::date), $2::date - 1, interval '1 month') AS m
), period AS (
    SELECT ($1::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS t0, ($2::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS t1
), sig AS (
    SELECT p.code, signal_month(s.observed_at) AS month, count(*) AS n, sum(s.record_key) AS key_sum
    FROM ports p CROSS JOIN period t JOIN signal s ON ST_Intersects(p.geom, s.geom)
    WHERE s.observed_at >= t.t0 AND s.observed_at < t.t1
    GROUP BY 1, 2
), inc AS (
    SELECT p.code, signal_month(f.observed_at) AS month, count(*) AS n, sum(f.record_key) AS key_sum
    FROM ports p CROSS JOIN period t JOIN overlay_feature f ON ST_Intersects(p.geom, f.geom)
    JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
    WHERE f.observed_at >= t.t0 AND f.observed_at < t.t1 AND ($4::text[] IS NULL OR d.programme = ANY ($4::text[]))
    GROUP BY 1, 2
)
SELECT json_build_object(
    'from', $1::date, 'to', $2::date, 'suppressed', $5::int IS NOT NULL,
    'months', (SELECT coalesce(json_agg(to_char(month, 'YYYY-MM') ORDER BY month), '[]'::json) FROM months),
    'ports', coalesce((SELECT json_agg(json_build_object(
        'code', p.code, 'name', p.name,
        'signals', (SELECT json_agg(CASE WHEN $5::int IS NULL THEN coalesce(s.n, 0) ELSE publish_count(coalesce(s.n, 0), s.key_sum, $5::int) END ORDER BY m.month)
                    FROM months m LEFT JOIN sig s ON s.code = p.code AND s.month = m.month),
        'incidents', (SELECT json_agg(CASE WHEN $5::int IS NULL THEN coalesce(i.n, 0) ELSE publish_count(coalesce(i.n, 0), i.key_sum, $5::int) END ORDER BY m.month)
                      FROM months m LEFT JOIN inc i ON i.code = p.code AND i.month = m.month)
        ) ORDER BY p.code) FROM ports p), '[]'::json))::text
