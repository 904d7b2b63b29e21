-- Stored scans visible to the caller: $1 scan name (NULL = all), $2 caller scope (NULL = all).
-- A casustafel-scoped caller sees a scan only when its parent area lies within the scope (1 m
-- tolerance for boundaries that were unioned from the same polygons).
SELECT s.id, s.name, s.parent_code, p.name AS parent_name, s.level, s.window_from, s.window_to, s.cutoff,
       s.profile_name, s.profile_version, s.model, s.hotspot_cell_m, s.is_baseline, s.created_at,
       (SELECT count(*)::int FROM scan_area sa WHERE sa.scan_id = s.id) AS sub_areas,
       (SELECT count(*)::int FROM scan_area sa WHERE sa.scan_id = s.id AND sa.kandidaat) AS kandidaten
FROM scan s
JOIN area p ON p.id = s.parent_area_id
WHERE ($1::text IS NULL OR s.name = $1)
  AND ($2::text[] IS NULL OR ST_CoveredBy(p.geom, ST_Buffer(scope_geom($2), 1)))
ORDER BY s.parent_code, s.level, s.window_to DESC, s.created_at DESC
