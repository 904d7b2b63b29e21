-- Scan model rr-score-3 (docs/wijkscan.md) compares the area score's observed quantity O
-- (Σ weight · reliability · decay × corroboration) instead of the signal count: kept beside the
-- counts with what is expected of it against the parent and the region. NULL for the count models.
ALTER TABLE scan_area ADD COLUMN observed double precision;
ALTER TABLE scan_area ADD COLUMN observed_expected_parent double precision;
ALTER TABLE scan_area ADD COLUMN observed_expected_region double precision;
