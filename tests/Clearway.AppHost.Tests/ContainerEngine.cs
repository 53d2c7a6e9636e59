using System.Diagnostics;

namespace Clearway.AppHost.Tests;

/// <summary>
/// What the container tests need: a container engine that answers and the locally built PostgreSQL image
/// (eng/postgres-image/build.sh; no public registry is reachable on our machines). Without them a test stops with
/// one line saying why: skipped on a developer machine, failed under CI=true, where .ci/run provides both.
/// </summary>
internal static class ContainerEngine
{
    private static readonly Lazy<Task<(string? Image, string? Problem)>> Probe = new(ProbeAsync);

    /// <summary>The local image's reference (<c>clearway/postgres:17-&lt;recipe hash&gt;</c>).</summary>
    public static async Task<string> RequireLocalPostgresImageAsync()
    {
        var (image, problem) = await Probe.Value;
        if (problem is null)
            return image!;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(problem);
        Assert.Skip(problem);
        throw new UnreachableException();
    }

    private static async Task<(string? Image, string? Problem)> ProbeAsync()
    {
        var engine = await RunAsync("docker", "info", "--format", "{{.ServerVersion}}");
        if (engine.ExitCode != 0)
            return (null, $"No container engine answers (docker info: {FirstLine(engine.Output)}): start Docker, or run `bash .ci/run`, which installs and starts one.");

        var script = System.IO.Path.Combine(RepositoryRoot.Path, "eng", "postgres-image", "build.sh");
        var tag = await RunAsync("bash", script, "--print-tag");
        if (tag.ExitCode != 0)
            return (null, $"{script} --print-tag failed: {FirstLine(tag.Output)}");
        var image = tag.Output.Trim().Split('\n')[^1].Trim();
        var inspect = await RunAsync("docker", "image", "inspect", "--format", "{{.Id}}", image);
        return inspect.ExitCode == 0
            ? (image, null)
            : (null, $"The local PostgreSQL image {image} is not built: run `sudo bash eng/postgres-image/build.sh` (about 90 s, once per recipe).");
    }

    /// <summary>A file inside a running container, or null while it is not there.</summary>
    public static async Task<string?> ReadFileAsync(string container, string path)
    {
        var (exitCode, output) = await RunAsync("docker", "exec", container, "cat", path);
        return exitCode == 0 ? output : null;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, (await stdout) + (await stderr));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
