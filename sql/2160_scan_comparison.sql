-- Stored comparisons of a scan with a nulmeting (docs/wijkscan.md), one row per compared unit:
-- a sub-area, or a group of split or merged sub-areas compared on their union. The numbers are
-- GeoRisk.Core's ScanComparison (exact rate-ratio test, Benjamini-Hochberg across the units),
-- written by ScanStore when a scan is stored while its parent and level have a nulmeting, and when
-- a scan is marked as the nulmeting. A pair's result depends only on the two scans, which are never
-- changed once stored (frozen inputs, frozen boundary versions), so a stored row cannot go stale;
-- deleting either scan deletes its rows, and readers only take the pairs whose baseline is the
-- nulmeting now. The key sums stay beside the counts for publish_count and are never served.
CREATE TABLE scan_comparison (
    later_scan_id     bigint NOT NULL REFERENCES scan (id) ON DELETE CASCADE,
    baseline_scan_id  bigint NOT NULL REFERENCES scan (id) ON DELETE CASCADE,
    -- The unit's first code (of the later scan; of the baseline for a unit that is gone): unique
    -- within a pair, and the order of the comparison endpoint's rows.
    code              text NOT NULL,
    baseline_codes    text[] NOT NULL,
    later_codes       text[] NOT NULL,
    name              text NOT NULL,
    boundary          text NOT NULL,
    class             text NOT NULL,
    baseline_count    bigint,
    baseline_expected double precision,
    later_count       bigint,
    later_expected    double precision,
    baseline_rr       double precision,
    later_rr          double precision,
    rr_ratio          double precision,
    p                 double precision,
    p_adjusted        double precision,
    baseline_key_sum  bigint NOT NULL,
    later_key_sum     bigint NOT NULL,
    -- The unit's frozen boundary (the union of a group), RD New.
    geom              geometry(Geometry, 28992) NOT NULL,
    PRIMARY KEY (later_scan_id, baseline_scan_id, code),
    CHECK (later_scan_id <> baseline_scan_id)
);
CREATE INDEX scan_comparison_baseline_idx ON scan_comparison (baseline_scan_id);
