-- Source of the OGC API collections 'areas' and 'areas-{kind}': current areas in RD New.
-- $1 caller scope (text[] of casustafel ids, NULL = unrestricted), $2 suppression k (unused:
-- boundaries are not signals), $3 kind (NULL = all kinds).
-- geom_crs84 and geom_webmercator are the boundary as stored in those CRSs (OgcCollection.StoredProjections),
-- geojson_crs84 and geojson_rd its stored CRS84 and RD New GeoJSON texts (OgcCollection.StoredGeoJson).
SELECT a.code AS id, a.geom, a.geom_4326 AS geom_crs84, a.geom_3857 AS geom_webmercator, a.geojson_crs84, a.geojson_rd,
       a.code, a.name, a.kind, a.parent_code, a.exposure, a.exposure_unit,
       round(a.area_km2::numeric, 3)::float8 AS area_km2, a.valid_from
FROM area a
WHERE a.valid_to IS NULL
  AND ($3::text IS NULL OR a.kind = $3::text)
  -- Interiors must meet: a neighbour that only shares a border is not in reach (as in the tiles).
  AND ($1::text[] IS NULL OR ST_Relate(a.geom, (SELECT scope_geom($1::text[])), 'T********'))
