-- Versioned boundaries: the current version of a code whose boundary changed is closed on the
-- day the new one starts, so trends over time use the boundary that was valid then. $1 valid_from.
UPDATE area a SET valid_to = $1::date
FROM area_plan p
WHERE a.id = p.current_id AND NOT p.same_boundary
