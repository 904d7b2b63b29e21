-- An area's boundary as the GeoJSON geometry text OGC API items send in CRS84 (7 decimals, as
-- OgcCrs.Crs84), kept by PostgreSQL beside geom_4326. Writing that text was most of the database's
-- work for a page of areas, on every request, although areas change rarely (an import, a new
-- boundary version); now it is written once per change of the row. The expression is the one a
-- request would run, so the stored text is exactly what the request gave. After a PostGIS upgrade
-- that changes ST_AsGeoJSON's number formatting the stored text keeps the old formatting until the
-- rows are rewritten (UPDATE area SET geom = geom); the coordinates are the same either way.
-- Other CRSs (EPSG:28992, EPSG:4326 lat/lon, EPSG:3857) are still written per request.
ALTER TABLE area ADD COLUMN geojson_crs84 text COMPRESSION lz4
    GENERATED ALWAYS AS (ST_AsGeoJSON(ST_Transform(geom, 4326), 7)) STORED;
