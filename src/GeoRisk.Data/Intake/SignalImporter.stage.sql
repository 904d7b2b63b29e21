-- Staging table for one import: filled by binary COPY, validated and merged set-based, dropped at
-- commit. Temporary tables are not WAL-logged, so the copy costs little more than the parse.
CREATE TEMP TABLE signal_stage (
    row_no      int              NOT NULL,
    source      text             NOT NULL,
    external_id text             NOT NULL,
    category    text             NOT NULL,
    observed_at timestamptz      NOT NULL,
    reliability real             NOT NULL,
    precision   text             NOT NULL,
    x           double precision NOT NULL,
    y           double precision NOT NULL,
    srid        int              NOT NULL,
    object_ref  text,
    remark      text
) ON COMMIT DROP
