using System.Diagnostics;

namespace Clearway.Tests.TestDatabases;

/// <summary>
/// The app's own tests as a Node developer runs them (<c>examples/node</c>: <c>pg</c>, Node's test runner, IntegreSQL's JS
/// client) against <c>clearway test-server</c>: a seeded database per test, and a write one test makes unseen by the next.
/// </summary>
public sealed class NodeExampleTests(TestServerFixture server) : IClassFixture<TestServerFixture>
{
    private static readonly string Example = Path.Combine(RepositoryRoot(), "examples", "node");

    [Fact]
    public async Task The_node_example_passes_against_the_test_server()
    {
        // `npm ci` is what .ci/run does first; a developer who has not run it gets it done here (the registry answers).
        if (!Directory.Exists(Path.Combine(Example, "node_modules")))
            Assert.Equal(0, (await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], null)).ExitCode);

        var run = await RunAsync("npm", ["test"], server.BaseUrl.ToString());

        Assert.True(run.ExitCode == 0, run.Output + Environment.NewLine + server.Output());
        Assert.Contains("# pass 3", run.Output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", run.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, string? integresqlUrl)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = Example, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["INTEGRESQL_URL"] = integresqlUrl;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Clearway.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("Clearway.sln not found above " + AppContext.BaseDirectory);
    }
}
