-- Stores the rows of a model computed in C# (GeoRisk.Core.Scans.ScanModel) over the counted rows
-- that scan_run stored. $1 scan id; the arrays are per sub-area code (the observed ones NULL for
-- the models on counts).
UPDATE scan_area sa
SET rr_parent = v.rr_parent, rr_parent_low = v.rr_parent_low, rr_parent_high = v.rr_parent_high,
    rr_region = v.rr_region, rr_region_low = v.rr_region_low, rr_region_high = v.rr_region_high,
    rank = v.rank, kandidaat = v.kandidaat,
    observed = v.observed, observed_expected_parent = v.observed_expected_parent, observed_expected_region = v.observed_expected_region
FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::int[], $10::boolean[],
            $11::float8[], $12::float8[], $13::float8[])
         AS v(code, rr_parent, rr_parent_low, rr_parent_high, rr_region, rr_region_low, rr_region_high, rank, kandidaat,
              observed, observed_expected_parent, observed_expected_region)
WHERE sa.scan_id = $1 AND sa.code = v.code
