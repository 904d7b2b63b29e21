-- An area's boundary as the GeoJSON geometry text OGC API items send in EPSG:28992 (2 decimals, as
-- OgcCrs.RdNew), kept by PostgreSQL beside the CRS84 text of migration 2220 and for the same
-- reason: RD New is what Dutch GIS clients ask for, and writing the text was most of the database's
-- work for such a page although areas change rarely. The expression is the one a request would run
-- on the stored geometry, so the stored text is exactly what the request gave; after a PostGIS
-- upgrade that changes ST_AsGeoJSON's number formatting it keeps the old formatting until the rows
-- are rewritten (UPDATE area SET geom = geom), with the same coordinates.
ALTER TABLE area ADD COLUMN geojson_rd text COMPRESSION lz4
    GENERATED ALWAYS AS (ST_AsGeoJSON(geom, 2)) STORED;
