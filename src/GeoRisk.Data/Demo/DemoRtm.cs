using GeoRisk.Core.Rtm;
using GeoRisk.Data.Rtm;
using Npgsql;

namespace GeoRisk.Data.Demo;

/// <summary>
/// The gelegenheidskaart of the demo: risk-factor layers in the buitengebied Amstelland and one
/// model of it. Synthetic like the signals: agricultural sheds at the places where the planted
/// drug-lab and dumping clusters are (the opportunity that explains them) and at random farms,
/// marinas and motorway exits at random places (no effect). Deterministic and idempotent: the
/// layers are upserted on their natural keys and the model is fitted only when the area has none.
/// </summary>
public static class DemoRtm
{
    public const string StudyArea = "BG-AMSTELLAND";
    private const int Seed = 20_201_115;

    /// <summary>What the buitengebied's opportunity is about: drug labs, dumping, cannabis farms and explosions.</summary>
    private static readonly string[] LabAndDumping = ["drugsproductie", "drugsafval", "hennepteelt", "explosies"];

    public static async Task<RtmModelCard?> SeedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await SeedLayersAsync(dataSource, cancellationToken);
        var store = new RtmStore(dataSource);
        if ((await store.ModelsAsync(StudyArea, GeoRisk.Core.Access.CallerScope.Unrestricted, cancellationToken)).Count > 0) return null;
        var end = DateOnly.FromDateTime(DemoSeeder.PeriodEnd.UtcDateTime);
        return await store.BuildAsync(new RtmRequest(StudyArea, "Gelegenheidskaart buitengebied Amstelland (demo)",
            end.AddYears(-3), end.AddYears(-1), end.AddYears(-1), end, LabAndDumping, ["agrarische-schuur", "jachthaven", "snelweg-afrit"], new RtmSettings()),
            cancellationToken);
    }

    private static async Task SeedLayersAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var area = DemoAreas.Load().Single(a => a.Code == StudyArea).Geometry!;
        var random = new Random(Seed);
        List<(double X, double Y)> Anywhere(int n) =>
            Enumerable.Range(0, n).Select(_ => DemoGeometry.RandomPointIn(random, area)).Select(c => (c.X, c.Y)).ToList();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // A second run writes nothing (an INSERT that adds no row would still bump the tiles' data version).
            await using (var present = new NpgsqlCommand("SELECT count(*) FROM overlay_dataset WHERE code LIKE 'demo-%' AND layer = 'factor'", connection, transaction))
                if ((long)(await present.ExecuteScalarAsync(cancellationToken))! > 0) return;
            // Sheds: the centres of the 100 m cells with the most lab and dumping signals of the first two years, then random farms.
            var sheds = new List<(double X, double Y)>();
            await using (var command = new NpgsqlCommand("""
                SELECT 1.5 * 100 * q, sqrt(3) * 100 * (r + q / 2.0)
                FROM rtm_counts($1, 100, '-infinity', $3, $2)
                ORDER BY n DESC, q, r LIMIT 6
                """, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = StudyArea });
                command.Parameters.Add(new NpgsqlParameter { Value = LabAndDumping });
                // Only the fit period decides where the sheds are: the test period stays unseen.
                command.Parameters.Add(new NpgsqlParameter { Value = DemoSeeder.PeriodEnd.AddYears(-1) });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) sheds.Add((reader.GetDouble(0), reader.GetDouble(1)));
            }
            sheds.AddRange(Anywhere(30));
            var layers = new (string Dataset, string Kind, string Name, List<(double X, double Y)> Points)[]
            {
                ("demo-schuren", "agrarische-schuur", "Leegstaande agrarische schuren (synthetisch)", sheds),
                ("demo-jachthavens", "jachthaven", "Jachthavens (synthetisch)", Anywhere(6)),
                ("demo-afritten", "snelweg-afrit", "Snelweg-afritten (synthetisch)", Anywhere(5)),
            };
            foreach (var (dataset, kind, name, points) in layers)
            {
                await using var command = new NpgsqlCommand("""
                    WITH ds AS (
                        INSERT INTO overlay_dataset (code, name, programme, layer, factor_kind) VALUES ($1, $2, 'bloemenveiling', 'factor', $3)
                        RETURNING id)
                    INSERT INTO overlay_feature (dataset_id, external_id, kind, geom)
                    SELECT ds.id, $1 || '-' || t.i, $3, ST_SetSRID(ST_MakePoint(round(t.x::numeric, 1)::float8, round(t.y::numeric, 1)::float8), 28992)
                    FROM ds CROSS JOIN unnest($4::float8[], $5::float8[]) WITH ORDINALITY AS t(x, y, i)
                    """, connection, transaction);
                command.Parameters.Add(new NpgsqlParameter { Value = dataset });
                command.Parameters.Add(new NpgsqlParameter { Value = name });
                command.Parameters.Add(new NpgsqlParameter { Value = kind });
                command.Parameters.Add(new NpgsqlParameter { Value = points.Select(p => p.X).ToArray() });
                command.Parameters.Add(new NpgsqlParameter { Value = points.Select(p => p.Y).ToArray() });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
