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

-- A moved or re-aimed camera starts again from its plain sector; the clipped view follows
-- when the importer recomputes it. An explicit view_geom in the same statement wins.
CREATE OR REPLACE FUNCTION camera_view_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.view_geom IS NULL THEN
            NEW.view_geom := camera_viewshed(NEW.geom, NEW.heading_deg, NEW.fov_deg, NEW.range_m);
        END IF;
    ELSIF (NEW.geom, NEW.heading_deg, NEW.fov_deg, NEW.range_m) IS DISTINCT FROM (OLD.geom, OLD.heading_deg, OLD.fov_deg, OLD.range_m)
          AND NEW.view_geom IS NOT DISTINCT FROM OLD.view_geom THEN
        NEW.view_geom := camera_viewshed(NEW.geom, NEW.heading_deg, NEW.fov_deg, NEW.range_m);
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER camera_view_default BEFORE INSERT OR UPDATE ON camera
    FOR EACH ROW EXECUTE FUNCTION camera_view_default();
