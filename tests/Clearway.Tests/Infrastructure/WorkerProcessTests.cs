namespace Clearway.Tests.Infrastructure;

/// <summary>WorkerProcess against a dll that is always built: this test assembly (Microsoft.Testing.Platform answers --help).</summary>
public sealed class WorkerProcessTests
{
    private static readonly string TestAssembly = typeof(WorkerProcessTests).Assembly.Location;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Runs_the_dll_with_arguments_and_environment_and_captures_output_and_exit_code()
    {
        // COREHOST_TRACE makes the dotnet host itself trace to stderr: proof the variable reached the process.
        await using var worker = WorkerProcess.Start(TestAssembly, ["--help"],
            new Dictionary<string, string?> { ["COREHOST_TRACE"] = "1" });

        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.StartsWith("Usage dotnet exec Clearway.Tests.dll", worker.StandardOutput, StringComparison.Ordinal);
        Assert.StartsWith("Tracing enabled", worker.StandardError, StringComparison.Ordinal);
        Assert.Equal("Clearway.Tests", worker.Name);
    }

    [Fact]
    public async Task A_failing_run_reports_its_exit_code_and_output()
    {
        await using var worker = WorkerProcess.Start(TestAssembly, ["--no-such-option"]);

        Assert.NotEqual(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains("--no-such-option", worker.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_killed_and_reported_with_its_output()
    {
        await using var worker = WorkerProcess.Start(TestAssembly, ["--help"]);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => worker.WaitForExitAsync(TimeSpan.FromMilliseconds(1), Ct));

        Assert.Contains("Clearway.Tests did not exit", error.Message, StringComparison.Ordinal);
        Assert.Contains("--- Clearway.Tests stdout ---", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct)); // killed
        Assert.True(worker.HasExited);
    }

    [Fact]
    public void A_dll_that_is_not_built_is_named_in_the_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() => WorkerProcess.Start("/nonexistent/Clearway.Seeder.dll", []));
        Assert.Contains("Clearway.Seeder.dll", error.Message, StringComparison.Ordinal);
    }
}
