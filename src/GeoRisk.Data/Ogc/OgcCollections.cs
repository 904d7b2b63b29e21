using GeoRisk.Core.Access;
using GeoRisk.Core.Ogc;

namespace GeoRisk.Data.Ogc;

/// <summary>Who may read a collection: any key (suppressed for viewers), or only callers that see signal locations.</summary>
/// <summary>
/// Who may read a collection: <see cref="Aggregate"/> everyone (suppressed where needed);
/// <see cref="SignalLevel"/> only callers who are not suppressed — single signals, and the
/// positions of a programme's cameras and incidents, which viewers never get (docs/ports.md).
/// </summary>
public enum OgcAccess { Aggregate, SignalLevel }

/// <summary>
/// One collection of the OGC API: its source SQL (<c>Ogc.{source}.sql</c>: columns <c>id</c>,
/// <c>geom</c> in RD New, then the properties), the properties (also its queryables), the
/// temporal property (for <c>datetime</c>) and the tile layer that draws it. With
/// <see cref="StoredProjections"/> the source also has <c>geom_crs84</c> and <c>geom_webmercator</c>:
/// the same geometry as PostgreSQL keeps it in those CRSs, so items are not projected per request.
/// With <see cref="StoredGeoJson"/> it also has <c>geojson_crs84</c> and <c>geojson_rd</c>: the
/// GeoJSON geometry text of <c>geom_crs84</c> with <see cref="OgcCrs.Crs84"/>'s decimals and of
/// <c>geom</c> with <see cref="OgcCrs.RdNew"/>'s, kept by PostgreSQL, so a page in CRS84 (the
/// default) or RD New (what Dutch GIS clients ask for) is not written out per request either.
/// </summary>
public sealed record OgcCollection(
    string Id, string Title, string Description, string Source, string GeometryType,
    IReadOnlyList<OgcProperty> Properties, string? Temporal, OgcAccess Access,
    string? TileLayer, bool RdTiles, bool NumericId, string? Kind = null, bool StoredProjections = false,
    bool StoredGeoJson = false)
{
    /// <summary>Properties by name, for the CQL2 translator and query-parameter filters.</summary>
    public IReadOnlyDictionary<string, OgcProperty> Queryables { get; } =
        Properties.ToDictionary(p => p.Name, p => p, StringComparer.Ordinal);

    public bool VisibleTo(CallerScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Access == OgcAccess.Aggregate || !scope.Suppressed;
    }
}

/// <summary>
/// The collections GeoRisk offers. Property SQL names columns of the source (<c>s.</c>), fixed
/// here: requests only choose among them.
/// </summary>
public static class OgcCollections
{
    private static OgcProperty P(string name, QueryableType type, string description) => new(name, type, $"s.\"{name}\"", description);

    private static readonly OgcProperty[] AreaProperties =
    [
        P("code", QueryableType.Text, "stable area code, e.g. PC4-1012"),
        P("name", QueryableType.Text, "name"),
        P("kind", QueryableType.Text, "kind: mainport, bedrijventerrein, buitengebied, postcode, wijk, buurt, gemeente, custom"),
        P("parent_code", QueryableType.Text, "code of the enclosing area"),
        P("exposure", QueryableType.Number, "exposure (addresses, businesses or inhabitants)"),
        P("exposure_unit", QueryableType.Text, "adressen, bedrijven or inwoners"),
        P("area_km2", QueryableType.Number, "area in km²"),
        P("valid_from", QueryableType.Date, "first day of this boundary"),
    ];

    public static OgcCollection Areas { get; } = new(
        "areas", "Gebieden / Areas", "Current area boundaries of every kind (mainports, business parks, postcode areas, wijken, buurten, ...)",
        "areas", "polygon", AreaProperties, null, OgcAccess.Aggregate, "areas", true, false, StoredProjections: true, StoredGeoJson: true);

    public static OgcCollection Scores { get; } = new(
        "scores", "Risicoscores / Risk scores", "Every area with its newest stored risk score (0-100) and the kandidaat flag (candidate handhavingsknelpunt)",
        "scores", "polygon",
        [
            P("code", QueryableType.Text, "area code"),
            P("name", QueryableType.Text, "area name"),
            P("kind", QueryableType.Text, "area kind"),
            P("score", QueryableType.Number, "score 0-100"),
            P("profile", QueryableType.Text, "scoring profile"),
            P("profile_version", QueryableType.WholeNumber, "version of the scoring profile"),
            P("reference_date", QueryableType.Date, "date the score refers to"),
            P("signal_count", QueryableType.WholeNumber, "signals counted (rounded to fives for suppressed callers)"),
            P("source_count", QueryableType.WholeNumber, "source partners counted"),
            P("kandidaat", QueryableType.Boolean, "candidate handhavingsknelpunt"),
        ],
        "reference_date", OgcAccess.Aggregate, "areas", true, false, StoredProjections: true, StoredGeoJson: true);

    private static readonly OgcProperty[] CellProperties =
    [
        P("size_m", QueryableType.WholeNumber, "hexagon size (circumradius) in metres: 100, 250, 500, 1000, 2500"),
        P("q", QueryableType.WholeNumber, "axial column of the cell"),
        P("r", QueryableType.WholeNumber, "axial row of the cell"),
        P("n", QueryableType.WholeNumber, "signals in the cell (rounded to fives, cells below k left out, for suppressed callers)"),
    ];

    public static OgcCollection SignalCells { get; } = new(
        "signal-cells", "Signaalcellen / Signal cells", "Signals aggregated on hexagon grids (every kept cell size); suppressed for viewers",
        "signal_cells", "polygon",
        [.. CellProperties, P("weight", QueryableType.Number, "sum of the signals' reliability (absent for suppressed callers)")],
        null, OgcAccess.Aggregate, "hexbins", false, false);

    public static OgcCollection Hotspots { get; } = new(
        "hotspots", "Hotspots", "Hexagon cells that are hot spots by Getis-Ord Gi* (class 1-3 at 90/95/99 % confidence), per cell size",
        "hotspots", "polygon",
        [
            .. CellProperties,
            P("gi_z", QueryableType.Number, "Gi* z-score"),
            P("gi_class", QueryableType.WholeNumber, "1, 2 or 3 for 90, 95 or 99 % confidence"),
        ],
        null, OgcAccess.Aggregate, "hexbins", false, false);

    public static OgcCollection Cameras { get; } = new(
        "cameras", "Camera's / Cameras", "Camera positions with owner, heading, field of view, range, status and programme; a casustafel sees its own programme's",
        "cameras", "point",
        [
            P("external_id", QueryableType.Text, "the owner's camera id"),
            P("owner", QueryableType.Text, "owning organisation"),
            P("heading_deg", QueryableType.Number, "heading, degrees clockwise from north"),
            P("fov_deg", QueryableType.Number, "field of view in degrees"),
            P("range_m", QueryableType.Number, "range in metres"),
            P("status", QueryableType.Text, "active, planned or removed"),
            P("programme", QueryableType.Text, "port programme (casustafel id) the camera belongs to"),
        ],
        null, OgcAccess.SignalLevel, "cameras", false, true);

    public static OgcCollection Incidents { get; } = new(
        "incidents", "Incidenten / Incidents", "Incidents of the overlay datasets (port incidents and the like)",
        "incidents", "geometry",
        [
            P("dataset", QueryableType.Text, "dataset code"),
            P("programme", QueryableType.Text, "programme that uploaded it"),
            P("kind", QueryableType.Text, "kind of incident"),
            P("observed_at", QueryableType.Timestamp, "time of the incident"),
        ],
        "observed_at", OgcAccess.SignalLevel, "incidents", false, true);

    public static OgcCollection Scans { get; } = new(
        "scans", "Wijkscans / Neighbourhood scans",
        "Stored wijkscans and nulmetingen, one feature per scan and sub-area: relative risk against the parent with its 90 % interval, rank, kandidaat flag, hot-spot cells; a casustafel sees the scans of parents within its areas; suppressed for viewers",
        "scans", "polygon",
        [
            P("scan", QueryableType.Text, "name of the stored scan"),
            P("parent_code", QueryableType.Text, "code of the scanned area (gemeente, stadsdeel, ...)"),
            P("level", QueryableType.Text, "kind of the sub-areas: wijk or buurt"),
            P("window_from", QueryableType.Date, "first day of the scan's window"),
            P("window_to", QueryableType.Date, "last day of the scan's window"),
            P("nulmeting", QueryableType.Boolean, "the scan is the baseline of its parent and level"),
            P("profile", QueryableType.Text, "scoring profile"),
            P("profile_version", QueryableType.WholeNumber, "version of the scoring profile"),
            P("model", QueryableType.Text, "computation: rr-poisson-1, rr-poisson-gamma-2 or rr-score-3"),
            P("code", QueryableType.Text, "sub-area code"),
            P("name", QueryableType.Text, "sub-area name"),
            P("signal_count", QueryableType.WholeNumber, "signals counted (rounded to fives, none below k, for suppressed callers)"),
            P("rr_parent", QueryableType.Number, "relative risk against the parent (one decimal for suppressed callers)"),
            P("rr_parent_low", QueryableType.Number, "lower bound of its 90 % interval"),
            P("rr_parent_high", QueryableType.Number, "upper bound of its 90 % interval"),
            P("rank", QueryableType.WholeNumber, "rank within the scan (1 = highest risk)"),
            P("kandidaat", QueryableType.Boolean, "candidate handhavingsknelpunt"),
            P("hotspot_cells", QueryableType.WholeNumber, "95 % hot-spot cells whose centre lies in the sub-area"),
            P("no_data", QueryableType.Boolean, "no denominator: no rate could be computed"),
            P("observed", QueryableType.Number, "model rr-score-3: the area score's observed quantity O (sum of weight x reliability x decay, x corroboration); absent for the count models and for suppressed callers"),
            P("observed_expected_parent", QueryableType.Number, "model rr-score-3: O expected from the parent's rate"),
            P("observed_expected_region", QueryableType.Number, "model rr-score-3: O expected from the region's rate"),
        ],
        "window_to", OgcAccess.Aggregate, null, false, false, StoredProjections: true);

    public static OgcCollection ScanComparisons { get; } = new(
        "scan-comparisons", "Wijkscan-vergelijkingen / Scan comparisons",
        "Every stored wijkscan compared with the nulmeting of its parent and level, one feature per sub-area (split or merged sub-areas on their union): relative risk in both scans, their ratio, the exact rate-ratio test's p and the Benjamini-Hochberg adjusted p across the sub-areas, class significant-up/down, no-change, new or gone; a casustafel sees the scans of parents within its areas; suppressed for viewers (rounded counts and ratios, no p or q)",
        "scan_comparisons", "polygon",
        [
            P("scan", QueryableType.Text, "name of the later scan"),
            P("baseline", QueryableType.Text, "name of the nulmeting it is compared with"),
            P("parent_code", QueryableType.Text, "code of the scanned area (gemeente, stadsdeel, ...)"),
            P("level", QueryableType.Text, "kind of the sub-areas: wijk or buurt"),
            P("window_to", QueryableType.Date, "last day of the later scan's window"),
            P("baseline_window_to", QueryableType.Date, "last day of the nulmeting's window"),
            P("code", QueryableType.Text, "sub-area code (the first of a split or merged group)"),
            P("codes", QueryableType.Text, "the later scan's sub-area codes of this unit, comma-separated (empty when gone)"),
            P("baseline_codes", QueryableType.Text, "the nulmeting's sub-area codes of this unit, comma-separated (empty when new)"),
            P("name", QueryableType.Text, "sub-area name (names joined by ' + ' for a group)"),
            P("boundary", QueryableType.Text, "boundary between the scans: same, boundary-changed, split, merged, regrouped or none"),
            P("class", QueryableType.Text, "significant-up, significant-down, no-change, new or gone"),
            P("baseline_signals", QueryableType.WholeNumber, "signals in the nulmeting (rounded to fives, none below k, for suppressed callers)"),
            P("later_signals", QueryableType.WholeNumber, "signals in the later scan (same suppression)"),
            P("baseline_rr", QueryableType.Number, "relative risk against the parent in the nulmeting (one decimal for suppressed callers)"),
            P("later_rr", QueryableType.Number, "relative risk against the parent in the later scan"),
            P("rr_ratio", QueryableType.Number, "later relative risk / nulmeting relative risk"),
            P("p", QueryableType.Number, "p-value of the exact conditional rate-ratio test of 'same relative risk'"),
            P("p_adjusted", QueryableType.Number, "Benjamini-Hochberg adjusted p-value (q) across the compared sub-areas"),
        ],
        "window_to", OgcAccess.Aggregate, null, false, false);

    public static OgcCollection Signals { get; } = new(
        "signals", "Signalen / Signals", "Signals at the precision they were delivered (no remark, no object reference); for casustafel members and analysts",
        "signals", "point",
        [
            P("source", QueryableType.Text, "source partner"),
            P("category", QueryableType.Text, "category"),
            P("observed_at", QueryableType.Timestamp, "time of the observation"),
            P("reliability", QueryableType.Number, "reliability 0-1"),
            P("precision", QueryableType.Text, "location precision: object, pc6, street, area (no point)"),
            P("followup_status", QueryableType.Text, "follow-up status"),
        ],
        "observed_at", OgcAccess.SignalLevel, "signals", false, true);

    /// <summary>The fixed collections, in the order of <c>/collections</c>; per-kind area collections come after.</summary>
    public static IReadOnlyList<OgcCollection> Fixed { get; } = [Areas, Scores, SignalCells, Hotspots, Cameras, Incidents, Scans, ScanComparisons, Signals];

    /// <summary>Prefix of the per-kind area collections: <c>areas-buurt</c>, <c>areas-postcode</c>, ...</summary>
    public const string KindPrefix = "areas-";

    public static OgcCollection ForKind(string kind, string label) => Areas with
    {
        Id = KindPrefix + kind,
        Title = label,
        Description = $"Current areas of kind '{kind}'",
        Kind = kind,
        RdTiles = false,
        TileLayer = null,
    };
}
