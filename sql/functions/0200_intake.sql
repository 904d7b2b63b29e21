-- Intake of area boundaries: one boundary from a GeoJSON file into the shape the
-- area table wants (MultiPolygon, RD New, valid), saying what had to be done to get there.
-- Runs per feature so that one unreadable geometry is reported for its row instead of failing
-- the whole file.
CREATE OR REPLACE FUNCTION intake_area_geometry(geojson text, srid int,
                                                OUT geom geometry, OUT repaired boolean, OUT invalid_reason text, OUT error text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    g geometry;
    v valid_detail;
BEGIN
    repaired := false;
    BEGIN
        g := ST_SetSRID(ST_GeomFromGeoJSON(geojson), srid);
    EXCEPTION WHEN others THEN
        error := 'unreadable';
        RETURN;
    END;
    IF ST_IsEmpty(g) OR GeometryType(g) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN
        error := 'not_polygon';
        RETURN;
    END IF;
    -- GEOS refuses rings with fewer than 4 points or that are not closed.
    IF EXISTS (SELECT 1 FROM ST_Dump(g) p, ST_DumpRings(p.geom) r
               WHERE ST_NPoints(r.geom) < 4 OR NOT ST_IsClosed(ST_ExteriorRing(r.geom))) THEN
        error := 'invalid_ring';
        RETURN;
    END IF;
    BEGIN
        IF srid <> 28992 THEN
            BEGIN
                g := ST_Transform(g, 28992);
            EXCEPTION WHEN others THEN
                error := 'outside';
                RETURN;
            END;
        END IF;
        -- RD New is defined for the Netherlands; a boundary elsewhere is a CRS or axis-order mistake.
        IF NOT ST_Intersects(g, ST_MakeEnvelope(0, 300000, 300000, 625000, 28992)) THEN
            error := 'outside';
            RETURN;
        END IF;
        -- ST_IsValidDetail, unlike ST_IsValid, does not send a NOTICE with coordinates to the client.
        v := ST_IsValidDetail(g);
        IF NOT v.valid THEN
            invalid_reason := v.reason;
            g := ST_CollectionExtract(ST_MakeValid(g), 3);
            repaired := true;
            IF g IS NULL OR ST_IsEmpty(g) THEN
                error := 'empty_after_repair';
                RETURN;
            END IF;
        END IF;
        geom := ST_Multi(g);
    EXCEPTION WHEN others THEN
        geom := NULL;
        repaired := false;
        invalid_reason := NULL;
        error := 'unusable';
    END;
END
$$;
