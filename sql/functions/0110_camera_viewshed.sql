-- The camera table's generated columns call this function. Replacing it does not recompute
-- stored viewsheds: a changed sector shape needs a numbered migration that rewrites them
-- (e.g. UPDATE camera SET range_m = range_m).

-- Field of view of a camera as a sector polygon in RD New: heading clockwise from north.
CREATE OR REPLACE FUNCTION camera_viewshed(location geometry, heading_deg double precision,
                                fov_deg double precision, range_m double precision)
RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE WHEN fov_deg >= 360 THEN ST_Buffer(location, range_m, 32)
    ELSE ST_SetSRID(ST_MakePolygon(ST_MakeLine(
        ARRAY[location]
        || ARRAY(SELECT ST_Translate(location,
                        range_m * sin(radians(heading_deg - fov_deg / 2 + fov_deg * i / 16.0)),
                        range_m * cos(radians(heading_deg - fov_deg / 2 + fov_deg * i / 16.0)))
                 FROM generate_series(0, 16) AS i)
        || ARRAY[location])), ST_SRID(location))
    END
$$;
