namespace GeoRisk.IntegrationTests.Infrastructure;

/// <summary>Runs a command-line tool the tests read results with (pdftotext, ogrinfo, ...) and returns its output; a non-zero exit fails the test with the tool's error output.</summary>
public static class ExternalTool
{
    public static string Run(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} exited with {p.ExitCode}: {p.StandardError.ReadToEnd()}");
        return output;
    }
}
