using System.Diagnostics;
using Clearway.Data.Schema;
using Clearway.Testing.Xunit;

namespace Clearway.Tests.Migrations;

/// <summary>script (offline SQL, applied with psql) and status (applied/pending, versions, applied-at).</summary>
public sealed class ScriptAndStatusTests(ClearwayFixture fixture) : MigrationTestBase(fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Script_needs_no_database_creates_every_table_and_psql_applies_it_to_a_schema_the_verifier_accepts(bool idempotent)
    {
        var psql = Psql();
        Assert.SkipWhen(psql is null, "psql is not installed.");
        // No connection string at all: script never touches a database.
        var script = await MigrationServiceProcess.RunAsync(new Dictionary<string, string?>(), idempotent ? ["script", "--idempotent"] : ["script"]);
        Assert.True(script.ExitCode == 0, script.ToString());
        Assert.All(SchemaManifest.Tables, t => Assert.Contains($"CREATE TABLE \"{t.Name}\"", script.StdOut, StringComparison.Ordinal));
        Assert.DoesNotContain("info:", script.StdOut, StringComparison.Ordinal); // logs go to stderr, SQL alone on stdout

        var db = await CreateDatabaseAsync();
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, script.StdOut, Ct);
            await PsqlAsync(psql!, db, file);
            if (idempotent)
                await PsqlAsync(psql!, db, file); // an idempotent script runs twice
        }
        finally
        {
            File.Delete(file);
        }

        var report = await VerifyAsync(db);
        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(All.Select(m => m.Id), await HistoryAsync(db));
        var status = await RunAsync(db, "status"); // applied by another tool: applied, time unknown
        Assert.Contains($"applied  {All[0].Version,-8} {All[0].Name,-30} unknown", status.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_from_and_to_limits_the_range()
    {
        var run = await MigrationServiceProcess.RunAsync(new Dictionary<string, string?>(), "script", "--from", All[2].Name, "--to", All[3].Version);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"'{All[3].Id}'", run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{All[2].Id}'", run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{All[4].Id}'", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("CREATE MATERIALIZED VIEW", run.StdOut, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Status_shows_applied_and_pending_with_versions_and_applied_at_and_verifies_when_complete()
    {
        var db = NewDatabaseName();
        var missing = await RunAsync(db, "status");
        Assert.True(missing.ExitCode == 0, missing.ToString());
        Assert.Contains("(does not exist yet)", missing.StdOut, StringComparison.Ordinal);
        Assert.False(await DatabaseExistsAsync(db));

        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        Assert.Equal(0, (await RunAsync(db, "rollback", "--to", All[3].Name)).ExitCode);

        var partial = await RunAsync(db, "status");
        Assert.True(partial.ExitCode == 0, partial.ToString());
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches($@"applied  {All[0].Version}\s+{All[0].Name}\s+{today} \d\d:\d\d:\d\d", partial.StdOut);
        Assert.Contains($"pending  {All[4].Version,-8} {All[4].Name}", partial.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{All.Count - 1} applied, 1 pending.", partial.StdOut, StringComparison.Ordinal);
        Assert.Contains("verify: skipped while migrations are pending", partial.StdOut, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        var full = await RunAsync(db, "status");
        Assert.Contains("verify: schema verified", full.StdOut, StringComparison.Ordinal);
        var verify = await RunAsync(db, "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());

        await ExecuteAsync(db, """ALTER TABLE "Payment" DROP COLUMN "amount" """);
        var drifted = await RunAsync(db, "verify");
        Assert.True(drifted.ExitCode == 1, drifted.ToString());
        Assert.Contains("MissingColumn", drifted.StdOut, StringComparison.Ordinal);
    }

    private static string? Psql()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                     .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")) : []))
        {
            var candidate = Path.Combine(dir, "psql");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private async Task PsqlAsync(string psql, string database, string file)
    {
        var cs = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString(database));
        var start = new ProcessStartInfo(psql) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", cs.Host!, "-p", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-U", cs.Username!, "-d", database, "-f", file })
            start.ArgumentList.Add(arg);
        start.Environment["PGPASSWORD"] = cs.Password ?? "";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        _ = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"psql exited {process.ExitCode}: {await stderr}");
    }
}
