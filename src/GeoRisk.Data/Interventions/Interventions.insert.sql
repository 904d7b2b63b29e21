-- Inserts one version of an intervention. The target is the area's current boundary, or a
-- GeoJSON polygon (EPSG:4326 unless its crs says 28992), made valid and turned into a
-- MultiPolygon in RD New. Answers the new id and, when the target is unusable, why (then
-- nothing is inserted): outside the Netherlands, not a polygon, or outside a scoped caller's reach.
-- $1 code, $2 version, $3 name, $4 kind, $5 casustafel, $6 area code, $7 GeoJSON, $8 start,
-- $9 end, $10 description, $11 actor, $12 caller scope (NULL = unrestricted).
WITH drawn AS (
    SELECT CASE WHEN $7::text IS NULL THEN NULL ELSE ST_GeomFromGeoJSON($7::text) END AS g
), target AS (
    SELECT CASE
        WHEN $6::text IS NOT NULL THEN (SELECT a.geom FROM area a WHERE a.code = $6 AND a.valid_to IS NULL)
        ELSE (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(
                  CASE WHEN ST_SRID(d.g) = 28992 THEN d.g ELSE ST_Transform(ST_SetSRID(d.g, 4326), 28992) END), 3))
              FROM drawn d)
    END AS geom
), checked AS (
    SELECT t.geom,
           CASE
               WHEN t.geom IS NULL OR ST_IsEmpty(t.geom) THEN 'The target must be an area or a polygon with an area.'
               WHEN NOT ST_Within(t.geom, ST_MakeEnvelope(0, 300000, 300000, 625000, 28992)) THEN 'The target lies (partly) outside the Netherlands.'
               WHEN ST_Area(t.geom) < 100 THEN 'The target is smaller than 100 m².'
               WHEN $12::text[] IS NOT NULL AND NOT ST_Within(t.geom, ST_Buffer(scope_geom($12), 1)) THEN 'The target lies outside your casustafels'' areas.'
           END AS problem
    FROM target t
), inserted AS (
    INSERT INTO intervention (code, version, name, kind, casustafel_id, area_code, start_date, end_date, description, geom, created_by)
    SELECT $1, $2, $3, $4, $5, $6, $8, $9, $10, c.geom, $11
    FROM checked c WHERE c.problem IS NULL
    RETURNING id
)
SELECT coalesce((SELECT id FROM inserted), 0), (SELECT problem FROM checked)
