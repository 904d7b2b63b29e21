-- One import's boundaries, parsed, in RD New, repaired (or the reason they could not be).
CREATE TEMP TABLE area_stage (
    row_no         int NOT NULL,
    code           text NOT NULL,
    name           text NOT NULL,
    parent_code    text,
    geom           geometry,
    repaired       boolean,
    invalid_reason text,
    error          text
) ON COMMIT DROP
