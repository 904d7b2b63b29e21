-- What each readable boundary means for the area table (see AreaImporter.plan.sql).
CREATE TEMP TABLE area_plan (
    row_no          int NOT NULL,
    code            text NOT NULL,
    name            text NOT NULL,
    kind            text NOT NULL,
    parent_code     text,
    exposure        double precision,
    exposure_unit   text,
    exposure_given  boolean NOT NULL,
    geom            geometry NOT NULL,
    current_id      bigint,
    same_boundary   boolean NOT NULL,
    same_attributes boolean NOT NULL
) ON COMMIT DROP
