-- Areas in WGS84 (CRS84), kept by PostgreSQL next to the RD New boundary like geom_3857.
-- GeoJSON clients (OGC API items, the web map's area lists) read areas in WGS84; projecting
-- every vertex through PROJ at request time was about nine tenths of the cost of a page of
-- 10,000 areas. ST_Transform is deterministic, so the stored value is exactly what the
-- request-time projection gave.
ALTER TABLE area ADD COLUMN geom_4326 geometry(MultiPolygon, 4326)
    GENERATED ALWAYS AS (ST_Transform(geom, 4326)) STORED;
