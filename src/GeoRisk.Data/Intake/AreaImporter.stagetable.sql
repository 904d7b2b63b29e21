-- One import's boundaries, parsed, in RD New, repaired (or the reason they could not be).
-- exposure: NULL when unknown, 0 allowed (a buurt without inhabitants still adds to a sum);
-- exposure_given: whether the import says anything about exposure (the plain area import does
-- not, and leaves the stored exposure alone). derived: built here as a union of other rows.
CREATE TEMP TABLE area_stage (
    row_no         int NOT NULL,
    code           text NOT NULL,
    name           text NOT NULL,
    kind           text NOT NULL,
    parent_code    text,
    exposure       double precision,
    exposure_unit  text,
    exposure_given boolean NOT NULL DEFAULT false,
    derived        boolean NOT NULL DEFAULT false,
    geom           geometry,
    repaired       boolean,
    invalid_reason text,
    error          text
) ON COMMIT DROP
