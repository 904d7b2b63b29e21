-- Source of the OGC API collection 'scans': the stored wijkscans, one feature per scan and
-- sub-area (its boundary version at the time of the scan), with the scan's name, parent, level,
-- window and whether it is the nulmeting. Scope as the wijkscan endpoints: a casustafel-scoped
-- caller sees a scan only when its parent area lies within the scope (1 m tolerance); suppressed
-- callers (viewers) get the signal count as publish_count gives it (with the key sum stored
-- beside it) and relative risks as the scan endpoint (ScanViews) gives them: scaled to the published
-- count, to one decimal (half to even, as .NET's Math.Round), none where the count is withheld, so
-- they do not give the exact count back.
-- Model rr-score-3's observed quantity O and its expectations are exact values: like the scan
-- endpoint, only unsuppressed callers get them (NULL for the count models).
-- $1 caller scope, $2 suppression k (NULL: none), $3 unused.
SELECT s.name || '.' || sa.code AS id, a.geom, a.geom_4326 AS geom_crs84, a.geom_3857 AS geom_webmercator,
       s.name AS scan, s.parent_code, s.level, s.window_from, s.window_to, s.is_baseline AS nulmeting,
       s.profile_name AS profile, s.profile_version, s.model,
       sa.code, sa.name,
       CASE WHEN $2::int IS NULL THEN sa.signal_count::bigint ELSE publish_count(sa.signal_count, sa.key_sum, $2::int) END AS signal_count,
       CASE WHEN $2::int IS NULL THEN sa.rr_parent
            WHEN publish_count(sa.signal_count, sa.key_sum, $2::int) IS NOT NULL AND sa.signal_count > 0
                 THEN round(sa.rr_parent * publish_count(sa.signal_count, sa.key_sum, $2::int)::float8 / sa.signal_count * 10) / 10 END AS rr_parent,
       CASE WHEN $2::int IS NULL THEN sa.rr_parent_low
            WHEN publish_count(sa.signal_count, sa.key_sum, $2::int) IS NOT NULL AND sa.signal_count > 0
                 THEN round(sa.rr_parent_low * publish_count(sa.signal_count, sa.key_sum, $2::int)::float8 / sa.signal_count * 10) / 10 END AS rr_parent_low,
       CASE WHEN $2::int IS NULL THEN sa.rr_parent_high
            WHEN publish_count(sa.signal_count, sa.key_sum, $2::int) IS NOT NULL AND sa.signal_count > 0
                 THEN round(sa.rr_parent_high * publish_count(sa.signal_count, sa.key_sum, $2::int)::float8 / sa.signal_count * 10) / 10 END AS rr_parent_high,
       sa.rank, sa.kandidaat, sa.hotspot_cells, sa.no_data,
       CASE WHEN $2::int IS NULL THEN sa.observed END AS observed,
       CASE WHEN $2::int IS NULL THEN sa.observed_expected_parent END AS observed_expected_parent,
       CASE WHEN $2::int IS NULL THEN sa.observed_expected_region END AS observed_expected_region
FROM scan s
JOIN area p ON p.id = s.parent_area_id
JOIN scan_area sa ON sa.scan_id = s.id
JOIN area a ON a.id = sa.area_id
WHERE $1::text[] IS NULL OR ST_CoveredBy(p.geom, ST_Buffer(scope_geom($1::text[]), 1))
