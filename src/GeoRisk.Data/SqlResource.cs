using System.Collections.Concurrent;
using System.Reflection;

namespace GeoRisk.Data;

/// <summary>SQL kept in <c>.sql</c> files beside the C# that runs it, embedded and loaded once.</summary>
public static class SqlResource
{
    private static readonly ConcurrentDictionary<(Assembly, string), string> Cache = new();

    public static string Load(Assembly assembly, string fileName) =>
        Cache.GetOrAdd((assembly, fileName), static key =>
        {
            var (assembly, fileName) = key;
            var names = assembly.GetManifestResourceNames()
                .Where(n => n == fileName || n.EndsWith("." + fileName, StringComparison.Ordinal))
                .ToList();
            if (names.Count != 1)
                throw new InvalidOperationException(
                    $"Expected one embedded SQL resource named {fileName} in {assembly.GetName().Name}, found {names.Count}.");
            using var stream = assembly.GetManifestResourceStream(names[0])!;
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        });
}
