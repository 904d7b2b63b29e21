-- Source of the OGC API collection 'cameras': camera positions with owner and field of view
-- (the viewshed polygon is in the cameras tiles). A scoped caller sees the cameras in reach.
-- $1 caller scope, $2 and $3 unused.
SELECT c.id, c.geom,
       c.external_id, c.owner, c.heading_deg, c.fov_deg, c.range_m
FROM camera c
WHERE $1::text[] IS NULL OR ST_Intersects(c.geom, (SELECT scope_geom($1::text[])))
