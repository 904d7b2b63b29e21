namespace GeoRisk.Core.Ogc;

/// <summary>
/// A quad-tree tile matrix set of OGC 2D Tile Matrix Set 2.0 (OGC 17-083r4): every level halves
/// the cell size of the one above and doubles the number of tiles per axis.
/// </summary>
public sealed record TileMatrixSet(
    string Id, string Title, string Uri, string CrsUri, int Srid, double OriginX, double OriginY,
    double CellSize0, double ScaleDenominator0, int MaxLevel, string[] OrderedAxes)
{
    public const int TileSize = 256;

    /// <summary>Google/OSM tiling, EPSG:3857: the same tiles as the XYZ endpoints (row = y, col = x).</summary>
    public static TileMatrixSet WebMercatorQuad { get; } = new(
        "WebMercatorQuad", "Google Maps Compatible for the World",
        "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
        "http://www.opengis.net/def/crs/EPSG/0/3857", 3857,
        -20037508.3427892, 20037508.3427892, 156543.033928041, 559082264.028717, 24, ["X", "Y"]);

    /// <summary>
    /// The Dutch national tiling (Geonovum/PDOK, in the OGC registry): RD New, origin
    /// (−285401.92, 903401.92), 3440.64 m per pixel at level 0, levels 0–16.
    /// </summary>
    public static TileMatrixSet NetherlandsRdNewQuad { get; } = new(
        "NetherlandsRDNewQuad", "Netherlands RD New (EPSG:28992) quad tree",
        "http://www.opengis.net/def/tilematrixset/OGC/1.0/NetherlandsRDNewQuad",
        "http://www.opengis.net/def/crs/EPSG/0/28992", 28992,
        -285401.92, 903401.92, 3440.64, 12288000, 16, ["E", "N"]);

    public static IReadOnlyList<TileMatrixSet> All { get; } = [WebMercatorQuad, NetherlandsRdNewQuad];

    public static TileMatrixSet? Find(string id) => All.FirstOrDefault(t => t.Id == id);

    public double CellSize(int level) => CellSize0 / (1L << level);

    public double TileSpan(int level) => CellSize(level) * TileSize;

    public static long MatrixSize(int level) => 1L << level;

    /// <summary>The tile's box in the set's CRS: (min x, min y, max x, max y).</summary>
    public (double MinX, double MinY, double MaxX, double MaxY) Envelope(int level, long row, long col)
    {
        var span = TileSpan(level);
        // Each edge from its own index, so neighbouring tiles share bit-identical edges.
        return (OriginX + col * span, OriginY - (row + 1) * span, OriginX + (col + 1) * span, OriginY - row * span);
    }

    /// <summary>
    /// The definition as OGC 2DTMS 2.0 JSON (the body of <c>/tileMatrixSets/{id}</c>), with the
    /// TMS 1.0 members alongside (<c>identifier</c>, <c>supportedCRS</c>, <c>tileMatrix</c> with
    /// <c>topLeftCorner</c>): GDAL before 3.7 reads only those, newer clients read the 2.0 ones.
    /// </summary>
    public Dictionary<string, object> ToJson() => new()
    {
        ["type"] = "TileMatrixSetType",
        ["identifier"] = Id,
        ["supportedCRS"] = CrsUri,
        ["boundingBox"] = new Dictionary<string, object>
        {
            ["type"] = "BoundingBoxType",
            ["crs"] = CrsUri,
            // 2.0 names the corners lowerLeft/upperRight (required there), 1.0 lowerCorner/upperCorner.
            ["lowerLeft"] = new[] { OriginX, OriginY - TileSpan(0) },
            ["upperRight"] = new[] { OriginX + TileSpan(0), OriginY },
            ["lowerCorner"] = new[] { OriginX, OriginY - TileSpan(0) },
            ["upperCorner"] = new[] { OriginX + TileSpan(0), OriginY },
        },
        ["tileMatrix"] = Enumerable.Range(0, MaxLevel + 1).Select(level => new Dictionary<string, object>
        {
            ["type"] = "TileMatrixType",
            ["identifier"] = level.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["scaleDenominator"] = ScaleDenominator0 / (1L << level),
            ["topLeftCorner"] = new[] { OriginX, OriginY },
            ["tileWidth"] = TileSize,
            ["tileHeight"] = TileSize,
            ["matrixWidth"] = MatrixSize(level),
            ["matrixHeight"] = MatrixSize(level),
        }).ToList(),
        ["id"] = Id,
        ["title"] = Title,
        ["uri"] = Uri,
        ["crs"] = CrsUri,
        ["orderedAxes"] = OrderedAxes,
        ["tileMatrices"] = Enumerable.Range(0, MaxLevel + 1).Select(level => new Dictionary<string, object>
        {
            ["id"] = level.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["scaleDenominator"] = ScaleDenominator0 / (1L << level),
            ["cellSize"] = CellSize(level),
            ["cornerOfOrigin"] = "topLeft",
            ["pointOfOrigin"] = new[] { OriginX, OriginY },
            ["tileWidth"] = TileSize,
            ["tileHeight"] = TileSize,
            ["matrixWidth"] = MatrixSize(level),
            ["matrixHeight"] = MatrixSize(level),
        }).ToList(),
    };
}
