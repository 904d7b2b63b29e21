using System.Globalization;
using GeoRisk.Core.Access;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Reports.Effects;

/// <summary>
/// The factsheet's intervention section, kept in process: the effect analysis with its control
/// suggestion is the slowest part of a factsheet, and its inputs change far less often than
/// factsheets are asked for. An entry is keyed by what determines the section (casustafel, area,
/// language, the analysis day, the caller's role and scope with its suppression) and by the
/// <c>data_version</c> rows of everything it reads — signals, areas, interventions and their
/// kinds, casustafel areas —, which triggers bump in the writing transaction whoever writes
/// (sql/functions/0500_tile_change.sql). The versions are read from the database on every request
/// (one small query), so a change committed through another API node, the CLI or psql is seen by
/// the next factsheet of every node without waiting for a notification.
/// Entries hold aggregates only: counts, windows, the verdict, control area codes and the
/// intervention's name, kind and dates (see <see cref="EffectReport.ForFactsheet"/>); no signal,
/// no outline, no description or author.
/// </summary>
public sealed class InterventionSectionCache(EffectReport effects, NpgsqlDataSource db)
{
    /// <summary>The <c>data_version</c> names the section depends on.</summary>
    public static readonly IReadOnlyList<string> Inputs = ["area", "casustafel", "intervention", "signal"];

    /// <summary>Keys are few (casustafel × area × language × scope per day); past this, start again.</summary>
    public const int MaxEntries = 512;

    private readonly object _gate = new();
    private readonly Dictionary<string, IReadOnlyList<InterventionSummary>> _entries = new(StringComparer.Ordinal);
    private long[] _versions = [];
    private long _hits;
    private long _misses;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    /// <summary>The section for this casustafel's area as of <paramref name="asOf"/>; <c>Hit</c> says whether it came from the cache.</summary>
    public async Task<(IReadOnlyList<InterventionSummary> Sections, bool Hit)> GetAsync(
        string casustafelId, string areaCode, string lang, DateOnly asOf, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        // Read before computing: a change committed after this read gives a newer version, so an
        // entry stored under these versions never holds data older than they say.
        var versions = await VersionsAsync(cancellationToken);
        var key = string.Join('\n', casustafelId, areaCode, lang, asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), scope.Role, scope.CacheKey);
        lock (_gate)
        {
            if (Newer(versions, _versions))
            {
                // Every entry was computed from older data: none can be served again.
                _entries.Clear();
                _versions = versions;
            }
            if (SameAs(versions, _versions) && _entries.TryGetValue(key, out var hit))
            {
                Interlocked.Increment(ref _hits);
                return (hit, true);
            }
        }
        Interlocked.Increment(ref _misses);
        var sections = await effects.SummariesAsync(casustafelId, areaCode, lang, asOf, cancellationToken);
        lock (_gate)
        {
            // A request that read older versions than another one (a race around a change) does not store.
            if (SameAs(versions, _versions))
            {
                if (_entries.Count >= MaxEntries) _entries.Clear();
                _entries[key] = sections;
            }
        }
        return (sections, false);
    }

    private async Task<long[]> VersionsAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT coalesce((SELECT d.version FROM data_version d WHERE d.name = n), 0) FROM unnest($1::text[]) WITH ORDINALITY AS u(n, i) ORDER BY i");
        command.Parameters.Add(new NpgsqlParameter { Value = Inputs.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var versions = new long[Inputs.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; await reader.ReadAsync(cancellationToken); i++) versions[i] = reader.GetInt64(0);
        return versions;
    }

    // Versions only grow: newer when none is lower and one is higher (or nothing was read yet).
    private static bool Newer(long[] read, long[] known)
    {
        if (known.Length != read.Length) return true;
        var higher = false;
        for (var i = 0; i < read.Length; i++)
        {
            if (read[i] < known[i]) return false;
            if (read[i] > known[i]) higher = true;
        }
        return higher;
    }

    private static bool SameAs(long[] a, long[] b) => a.AsSpan().SequenceEqual(b);
}
