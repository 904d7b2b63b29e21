-- riec-standaard version 2: the calibrated relative-risk model (docs/scoring.md). Version 1
-- stays as it was, so its stored scores remain reproducible; without a version the API and
-- the CLI use the highest one.
--   model             'relative-risk': O / E with a Poisson-Gamma posterior, score by a fixed
--                     mapping of the posterior mean (50 = the reference rate)
--   reference         'region': the reference rate per exposure unit pooled over every area
--                     with that unit ('kind': per kind; 'fixed': reference_rates per unit)
--   prior_shape       'auto': alpha of the Gamma(alpha, alpha) prior by the method of moments
--   credible_level    of the interval of RR
--   trend_alpha       the trend shows a direction only when the rate-ratio test's p is below it
--   thresholds        kandidaat: lower bound of RR >= min_rr_lower, and the signal and source minimums
INSERT INTO scoring_profile (name, version, description, params) VALUES (
    'riec-standaard', 2,
    'RIEC standaard v2: relatief risico tegenover de regio (Poisson-Gamma), score 50 = regionaal niveau, kandidaat bij ondergrens 90%-interval >= 1,5.',
    '{
        "model": "relative-risk",
        "half_life_days": 180,
        "window_days": 365,
        "category_weights": {
            "drugshandel": 1.0,
            "drugsproductie": 1.5,
            "hennepteelt": 1.0,
            "drugsafval": 1.2,
            "witwassen": 1.2,
            "ondergronds_bankieren": 1.2,
            "vastgoed": 0.8,
            "luxegoederen": 0.6,
            "misbruik_panden": 1.0,
            "misbruik_ondernemingen": 1.0,
            "illegale_bewoning": 0.6,
            "mensenhandel": 1.5,
            "omg": 1.0,
            "explosies": 1.5,
            "havenincident": 1.3,
            "handelsregister_mutatie": 0.5,
            "burgermelding": 0.4,
            "toezichtsbevinding": 0.8
        },
        "corroboration_factor": 0.25,
        "reference": "region",
        "prior_shape": "auto",
        "credible_level": 0.9,
        "trend_alpha": 0.05,
        "thresholds": {"min_signals": 10, "min_sources": 2, "min_rr_lower": 1.5},
        "suppression_k": 5,
        "hotspot_rings": 1
    }'::jsonb);
