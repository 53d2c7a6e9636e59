using System.Text.RegularExpressions;
using Clearway.Postgres;
using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Tests.Cli;
using Clearway.Tests.Shared;
using Npgsql;

namespace Clearway.Tests.Statistics;

/// <summary><c>clearway queries</c>, <c>indexes</c> and <c>explain</c> against a seeded database on a server started the Clearway way.</summary>
public sealed partial class StatisticsVerbTests : IDisposable
{
    private readonly List<string> _directories = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Queries_lists_a_burst_with_its_call_counts_and_reset_starts_the_count_afresh()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await QueryBurst.RunAsync(db.ConnectionString, Ct);

        var run = await Cli.Cli.RunAsync("queries", "--top", "50", "--reset", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(QueryBurst.UserLookups, CallsOf(run.StdOut, QueryBurst.UserLookup));
        Assert.Equal(QueryBurst.StatusCounts, CallsOf(run.StdOut, QueryBurst.StatusCount));
        Assert.Contains($"Reset the statement statistics and the index and table counters of \"{db.Name}\".", run.StdOut, StringComparison.Ordinal);

        var after = await Cli.Cli.RunAsync("queries", "--connection", db.ConnectionString);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.DoesNotContain(QueryBurst.UserLookup, after.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indexes_names_an_index_the_burst_never_touched_and_not_the_one_it_used()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        var scanned = await QueryBurst.RunAsync(db.ConnectionString, Ct);
        Assert.NotEmpty(scanned);

        var run = await Cli.Cli.RunAsync("indexes", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.ToString());
        var unused = run.StdOut[..run.StdOut.IndexOf("Foreign keys with no index", StringComparison.Ordinal)];
        var named = IndexNames().Matches(unused).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(QueryBurst.UntouchedIndex, named);
        foreach (var used in scanned)
            Assert.DoesNotContain(used, named);
        Assert.Contains("Foreign keys with no index on their referencing columns:", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_of_an_update_shows_what_it_did_and_leaves_the_row_unchanged()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await using var connection = await db.OpenConnectionAsync(Ct);
        var (id, status) = await FirstPaymentAsync(connection);
        var changed = status == "FAILED" ? "RECONCILED" : "FAILED";

        var run = await Cli.Cli.RunAsync("explain", $"""UPDATE "Payment" SET "status" = '{changed}' WHERE "id" = '{id}';""", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Update on \"Payment\"", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("actual time=", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("Buffers:", run.StdOut, StringComparison.Ordinal);
        Assert.EndsWith("Rolled back: nothing the statement did was kept.", run.StdOut.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal((id, status), await FirstPaymentAsync(connection));
    }

    [Fact]
    public async Task On_a_server_without_pg_stat_statements_queries_answers_in_one_line_and_indexes_still_works()
    {
        // A server as an administrator who never loaded the library left it: the setting cleared over ours, restarted.
        var options = new PostgresClusterOptions { Directory = NewDirectory() };
        await using (var first = await LocalPostgresServer.StartAsync(options, Ct))
        {
            await using var admin = new NpgsqlConnection(first.ConnectionString());
            await admin.OpenAsync(Ct);
            await new NpgsqlCommand("ALTER SYSTEM SET shared_preload_libraries = 'plpgsql'", admin).ExecuteNonQueryAsync(Ct);
        }
        NpgsqlConnection.ClearAllPools();
        await using var server = await LocalPostgresServer.StartAsync(options, Ct);
        var connection = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Pooling = false }.ConnectionString;

        var queries = await Cli.Cli.RunAsync("queries", "--reset", "--connection", connection);
        Assert.True(queries.ExitCode == 0, queries.ToString());
        var lines = queries.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Query statistics are not available on this server: pg_stat_statements is not loaded", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Reset the index and table counters of \"postgres\".", lines[1], StringComparison.Ordinal);
        Assert.Equal("", queries.StdErr);

        var indexes = await Cli.Cli.RunAsync("indexes", "--connection", connection);
        Assert.True(indexes.ExitCode == 0, indexes.ToString());
        Assert.StartsWith("\"postgres\": 0 index(es) never scanned", indexes.StdOut, StringComparison.Ordinal);
    }

    /// <summary>The calls column of the report's line for <paramref name="query"/>.</summary>
    private static long CallsOf(string report, string query)
    {
        var line = Assert.Single(report.Split('\n'), l => l.TrimEnd().EndsWith(query, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(string Id, string Status)> FirstPaymentAsync(NpgsqlConnection connection)
    {
        await using var reader = await new NpgsqlCommand("""SELECT "id", "status" FROM "Payment" ORDER BY "id" LIMIT 1""", connection).ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct), "the tiny seed has payments");
        return (reader.GetString(0), reader.GetString(1));
    }

    [GeneratedRegex(@"^  (\S+)\s+on ", RegexOptions.Multiline)]
    private static partial Regex IndexNames();

    private string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "clearway-stats-" + Guid.NewGuid().ToString("N")[..8]);
        _directories.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (var path in _directories.Where(Directory.Exists))
            Directory.Delete(path, recursive: true);
    }
}
