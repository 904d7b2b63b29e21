-- Stores the relative-risk scores of a run as their numbers (GeoRisk.Core.Scoring.StoredRiskScore,
-- migration 2300): one array per column with one element per area, so that each column is sent and
-- converted as one value instead of value by value. $1 profile, $2 version, $3 reference date,
-- $4 … $28 the columns in the order of the unnest below, $29 and $30 the components of all areas
-- one after the other, $31 the number of components per area: area i's are elements
-- (i − 1) · $31 + 1 … i · $31.
INSERT INTO score (area_id, profile_name, profile_version, reference_date, score, raw, signal_count, source_count,
                   components, flags, key_sum, source_key_sum, previous_key_sum,
                   kandidaat, expected, rr_mean, rr_lower, rr_upper, exposure, exposure_unit, reference_rate, prior_shape,
                   corroboration, previous_rr, previous_observed, previous_expected, previous_signal_count, rate_ratio, p_value,
                   trend_direction, component_observed, component_expected)
SELECT r.area_id, $1, $2, $3, r.score, r.raw, r.signal_count, r.source_count,
       NULL, NULL, r.key_sum, r.source_key_sum, r.previous_key_sum,
       r.kandidaat, r.expected, r.rr_mean, r.rr_lower, r.rr_upper, r.exposure, r.exposure_unit, r.reference_rate, r.prior_shape,
       r.corroboration, r.previous_rr, r.previous_observed, r.previous_expected, r.previous_signal_count, r.rate_ratio, r.p_value,
       r.trend_direction,
       ($29::float8[])[(r.i - 1) * $31::int + 1 : r.i * $31::int],
       ($30::float8[])[(r.i - 1) * $31::int + 1 : r.i * $31::int]
FROM unnest($4::bigint[], $5::float8[], $6::float8[], $7::int[], $8::int[], $9::bigint[], $10::bigint[], $11::bigint[],
            $12::boolean[], $13::float8[], $14::float8[], $15::float8[], $16::float8[], $17::float8[], $18::text[], $19::float8[],
            $20::float8[], $21::float8[], $22::float8[], $23::float8[], $24::float8[], $25::int[], $26::float8[], $27::float8[],
            $28::text[])
     WITH ORDINALITY AS r(area_id, score, raw, signal_count, source_count, key_sum, source_key_sum, previous_key_sum,
                          kandidaat, expected, rr_mean, rr_lower, rr_upper, exposure, exposure_unit, reference_rate,
                          prior_shape, corroboration, previous_rr, previous_observed, previous_expected, previous_signal_count,
                          rate_ratio, p_value, trend_direction, i);
