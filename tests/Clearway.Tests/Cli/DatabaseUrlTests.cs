using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Tests.Shared;

namespace Clearway.Tests.Cli;

/// <summary><c>DATABASE_URL</c> wherever a connection is handed out: printed by <c>up</c> and <c>env</c>, written to a .env, opened by psql and by pg.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DatabaseUrlTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("clearway-url-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Up_prints_a_DATABASE_URL_that_psql_and_node_postgres_open_and_keeps_it_in_its_state_file()
    {
        await using var up = Up.Start(_dataDir);
        await up.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
        var url = Up.Line(up.StandardOutput, "DATABASE_URL: ");

        Assert.Matches(@"^postgresql://postgres:[^@]+@127\.0\.0\.1:\d+/clearway\?schema=public$", url);
        Assert.Contains($"\"databaseUrl\": \"{url}\"", await File.ReadAllTextAsync(Path.Combine(_dataDir, "clearway-up.json"), Ct), StringComparison.Ordinal);
        Assert.Equal("24", await DatabaseUrlClients.PsqlAsync(url, """SELECT count(*) FROM "CapitalCall" """));
        Assert.Equal("24", await DatabaseUrlClients.NodePgAsync(url, """SELECT count(*) FROM "CapitalCall" """));
        Cli.Signal(up.Id, "INT");
        await up.WaitForExitAsync(Up.StopLimit, Ct);
    }

    [Fact]
    public async Task Env_prints_both_lines_and_updates_them_in_a_dotenv_file_keeping_its_other_lines_owner_only()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        var printed = await Cli.RunAsync("env", "--connection", db.ConnectionString);
        Assert.True(printed.ExitCode == 0, printed.ToString());
        var lines = printed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("DATABASE_URL=\"postgresql://", lines[0], StringComparison.Ordinal);
        Assert.Equal($"ConnectionStrings__clearway=\"{db.ConnectionString}\"", lines[1]);

        var file = Path.Combine(_dataDir, ".env");
        await File.WriteAllTextAsync(file, "# the app's own\nAPI_KEY=abc\nDATABASE_URL=\"postgresql://old\"\nexport LOG_LEVEL=debug\n", Ct);
        var written = await Cli.RunAsync("env", "--file", file, "--connection", db.ConnectionString);

        Assert.True(written.ExitCode == 0, written.ToString());
        var content = await File.ReadAllLinesAsync(file, Ct);
        Assert.Equal(["# the app's own", "API_KEY=abc", lines[0], "export LOG_LEVEL=debug", lines[1]], content);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
