-- The current follow-up status of a signal, when the signal lies in one of the casustafel's
-- areas and within the caller's reach; no row otherwise (the endpoint answers 404 either way,
-- so it reveals nothing about signals elsewhere).
-- $1 signal id, $2 casustafel id, $3 caller scope text[] (NULL = unrestricted)
SELECT s.followup_status
FROM signal s
WHERE s.id = $1
  AND EXISTS (SELECT 1
              FROM casustafel_area ca
              JOIN area a ON a.code = ca.area_code AND a.valid_to IS NULL
              WHERE ca.casustafel_id = $2 AND ST_Intersects(a.geom, s.geom))
  AND in_reach(s.geom, scope_reach($3::text[]))
