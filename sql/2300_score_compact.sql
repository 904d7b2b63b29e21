-- A relative-risk score is stored as the numbers it is made of (GeoRisk.Core.Scoring.StoredRiskScore)
-- instead of its ~4 kB JSON document in flags and components: writing, parsing and compressing
-- those documents was the larger part of storing a run, and the document's other fields follow
-- from the profile, the area and the reference date, so the store rebuilds it on read. Rows stored
-- before keep their documents (rr_mean IS NULL) and are read as before; version-1 rows keep using
-- flags and components. kandidaat is the flag the map and the OGC collection colour areas by
-- (score_kandidaat in sql/functions/0400_scoring.sql reads it, or flags where it is not set).
ALTER TABLE score
    ALTER COLUMN components DROP NOT NULL,
    ALTER COLUMN flags DROP NOT NULL,
    ADD COLUMN kandidaat boolean,
    ADD COLUMN expected double precision,
    ADD COLUMN rr_mean double precision,
    ADD COLUMN rr_lower double precision,
    ADD COLUMN rr_upper double precision,
    ADD COLUMN exposure double precision,
    ADD COLUMN exposure_unit text,
    ADD COLUMN reference_rate double precision,
    ADD COLUMN prior_shape double precision,
    ADD COLUMN corroboration double precision,
    ADD COLUMN component_observed double precision[],
    ADD COLUMN component_expected double precision[],
    ADD COLUMN previous_rr double precision,
    ADD COLUMN previous_observed double precision,
    ADD COLUMN previous_expected double precision,
    ADD COLUMN previous_signal_count int,
    ADD COLUMN rate_ratio double precision,
    ADD COLUMN p_value double precision,
    ADD COLUMN trend_direction text,
    -- Either a document or the numbers, never neither: every reader finds one form.
    ADD CONSTRAINT score_stored_form CHECK (
        (flags IS NOT NULL AND components IS NOT NULL)
        OR (rr_mean IS NOT NULL AND kandidaat IS NOT NULL AND expected IS NOT NULL AND rr_lower IS NOT NULL
            AND rr_upper IS NOT NULL AND exposure IS NOT NULL AND exposure_unit IS NOT NULL AND reference_rate IS NOT NULL
            AND prior_shape IS NOT NULL AND corroboration IS NOT NULL AND component_observed IS NOT NULL
            AND component_expected IS NOT NULL AND previous_rr IS NOT NULL AND previous_observed IS NOT NULL
            AND previous_expected IS NOT NULL AND previous_signal_count IS NOT NULL AND trend_direction IS NOT NULL));
