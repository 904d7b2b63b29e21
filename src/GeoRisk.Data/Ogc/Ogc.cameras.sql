-- Source of the OGC API collection 'cameras': camera positions with owner, field of view,
-- status and programme (what each camera sees is in the cameras tiles). Cameras belong to a
-- programme, named by a casustafel id: a caller bound to casustafels sees only those
-- programmes' cameras (as the cameras tiles).
-- $1 caller scope (programmes), $2 and $3 unused.
SELECT c.id, c.geom,
       c.external_id, c.owner, c.heading_deg, c.fov_deg, c.range_m, c.status, c.programme
FROM camera c
WHERE $1::text[] IS NULL OR c.programme = ANY ($1::text[])
