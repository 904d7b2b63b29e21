-- The default scoring profile. Every constant of the risk model lives here; a
-- changed model is a NEW version (or a new name), never an update of a stored one, so a score
-- can always be traced to the exact parameters that produced it. docs/scoring.md explains each.
--   half_life_days       time decay: a signal this old counts half
--   window_days          only signals observed in (reference - window, reference] count
--   category_weights     weight per category; every category has one (0 leaves it out)
--   corroboration_factor raw is multiplied by 1 + factor * (distinct source partners - 1)
--   normalisation        'auto': per 1,000 exposure units when every area of the kind has an
--                        exposure, otherwise per km²; 'area' or 'exposure' force one
--   shrinkage            Empirical-Bayes shrinkage of the rate towards the mean of the kind
--   thresholds           kandidaat-handhavingsknelpunt when all three pass
--   suppression_k        counts below k are suppressed in views outside a casustafel
--   hotspot_rings        Gi* neighbourhood: the cell itself plus this many rings of hexagons
INSERT INTO scoring_profile (name, version, description, params) VALUES (
    'riec-standaard', 1,
    'RIEC standaard: halfwaardetijd 180 dagen, venster 365 dagen, bevestiging 0.25 per extra bron, Empirical-Bayes-krimp aan.',
    '{
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
        "normalisation": "auto",
        "shrinkage": true,
        "thresholds": {"min_signals": 10, "min_sources": 2, "min_score": 80},
        "suppression_k": 5,
        "hotspot_rings": 1
    }'::jsonb);
