using System.Diagnostics;

namespace GeoRisk.IntegrationTests.Foundation;

/// <summary>
/// docker-compose.yml is valid for Debian's docker-compose (`docker-compose config` parses and
/// resolves it; no Docker engine is needed), describes db → one-shot migration → API with health
/// checks, and holds no secret: those come from georisk.env (example in git, real file not).
/// </summary>
public sealed class DockerComposeTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GeoRisk.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("GeoRisk.sln not found above the test binaries");
    }

    private static async Task<(int Exit, string Out, string Err)> ComposeConfigAsync(string directory, params string[] options)
    {
        var start = new ProcessStartInfo("/usr/bin/docker-compose") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        Assert.True(File.Exists(start.FileName), "/usr/bin/docker-compose is missing: scripts/test.sh installs Debian's docker-compose");
        foreach (var option in options) start.ArgumentList.Add(option);
        start.ArgumentList.Add("config");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Compose_file_validates_and_chains_db_migration_and_api()
    {
        var root = RepoRoot();
        var work = Directory.CreateTempSubdirectory("georisk-compose-").FullName;
        try
        {
            File.Copy(Path.Combine(root, "docker-compose.yml"), Path.Combine(work, "docker-compose.yml"));
            // Without georisk.env there is no password: the file must not fall back to one.
            var (missingExit, _, _) = await ComposeConfigAsync(work);
            Assert.NotEqual(0, missingExit);

            File.Copy(Path.Combine(root, "georisk.env.example"), Path.Combine(work, "georisk.env"));
            var (exit, config, error) = await ComposeConfigAsync(work);
            Assert.True(exit == 0, error);
            foreach (var service in new[] { "  db:", "  migrate:", "  api:" }) Assert.Contains(service, config, StringComparison.Ordinal);
            Assert.Contains("service_completed_successfully", config, StringComparison.Ordinal);
            Assert.Contains("pg_isready", config, StringComparison.Ordinal);
            Assert.Contains("http://127.0.0.1:8080/health", config, StringComparison.Ordinal);
            Assert.Contains("pgdata:", config, StringComparison.Ordinal);
            // The API nodes believe forwarded client addresses from the load balancer's fixed address only.
            var (_, scaleOut, _) = await ComposeConfigAsync(work, "--profile", "scale-out");
            var lbAddress = System.Text.RegularExpressions.Regex.Match(scaleOut, @"ipv4_address: (\S+)").Groups[1].Value;
            Assert.NotEqual("", lbAddress);
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(scaleOut, @"GeoRisk__Access__TrustedProxies__0: " + System.Text.RegularExpressions.Regex.Escape(lbAddress)));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        var compose = await File.ReadAllTextAsync(Path.Combine(root, "docker-compose.yml"));
        Assert.DoesNotContain("PASSWORD:", compose, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Password=", compose, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("georisk.env", await File.ReadAllTextAsync(Path.Combine(root, ".gitignore")), StringComparison.Ordinal);
        Assert.Contains("georisk.env", await File.ReadAllTextAsync(Path.Combine(root, ".dockerignore")), StringComparison.Ordinal);
        // The image builds the web map too: the build stage has npm.
        Assert.Contains("npm", await File.ReadAllTextAsync(Path.Combine(root, "Dockerfile")), StringComparison.Ordinal);
    }
}
