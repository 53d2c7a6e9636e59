using Clearway.Tests.Shared;
using Npgsql;

namespace Clearway.AppHost.Tests;

/// <summary>The default mode: PostgreSQL in a container (the locally built image), migrations, seeder; then a restart on the same volume.</summary>
public sealed class ContainerModeTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Migrates_and_seeds_with_the_password_in_no_argument_then_a_second_run_on_the_same_volume_applies_nothing_skips_the_seed_and_keeps_a_snapshot()
    {
        var image = await ContainerEngine.RequireLocalPostgresImageAsync();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(RunLimit);
        var ct = limit.Token;
        var options = new AppHostOptions { Image = image };
        try
        {
            SeededDatabase first;
            // Watching, as another local account could, every command line of the first run: the container's creation too.
            await using var watch = await ProcessArgumentsWatch.StartAsync(ct);
            await using (var app = await TestAppHost.StartAsync(options, ct))
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", ct);
                Assert.Equal(0, (await app.WaitForExitAsync("migrations", ct)).Snapshot.ExitCode);
                Assert.Equal(0, (await app.WaitForExitAsync("seeder", ct)).Snapshot.ExitCode);
                first = await SeededDatabase.ReadAsync((await app.GetConnectionStringAsync("clearway", ct))!, ct);
                first.AssertDevSeed();
                Assert.Empty(await watch.StopAsync(options.Password));
                Assert.True(watch.Saw("docker") && watch.Saw("-postgres"), "the watcher never saw the container being created");

                // A statement over the slow-query threshold (250 ms by default) has its plan in the server's console log.
                var plan = app.WaitForLineAsync("postgres", line => line.Contains("Query Text: SELECT pg_sleep(0.6), 'clearway-slow-probe'", StringComparison.Ordinal), ct);
                // Unpooled: the seeder's swap ended the sessions this process's health checks pooled on the old database.
                await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder((await app.GetConnectionStringAsync("clearway", ct))!) { Pooling = false }.ConnectionString))
                {
                    await connection.OpenAsync(ct);
                    await new NpgsqlCommand("SELECT pg_sleep(0.6), 'clearway-slow-probe'", connection).ExecuteNonQueryAsync(ct);
                }
                await plan;
                await app.WaitForLineAsync("postgres", line => line.Contains("Result  (cost=", StringComparison.Ordinal), ct);

                // A snapshot of the developer's own state, kept in the volume.
                await app.ResourceNotifications.WaitForResourceHealthyAsync("dbmanager", ct);
                var saved = await app.ExecuteCommandAsync("dbmanager", "save-snapshot", ct, ("name", "across-restarts"));
                Assert.True(saved.Success, saved.Message);
            }

            await using (var app = await TestAppHost.StartAsync(options, ct))
            {
                var skipped = app.WaitForLineAsync("seeder", line => line.Contains("already seeded", StringComparison.Ordinal), ct);
                Assert.Equal(0, (await app.WaitForExitAsync("migrations", ct)).Snapshot.ExitCode);
                Assert.Equal(0, (await app.WaitForExitAsync("seeder", ct)).Snapshot.ExitCode);
                var second = await SeededDatabase.ReadAsync((await app.GetConnectionStringAsync("clearway", ct))!, ct);
                Assert.True(first.SameAs(second), $"the second run changed the database: {first} then {second}");
                await skipped;

                await app.ResourceNotifications.WaitForResourceHealthyAsync("dbmanager", ct);
                var restored = await app.ExecuteCommandAsync("dbmanager", "restore-snapshot", ct, ("name", "across-restarts"), ("migrate", "false"));
                Assert.True(restored.Success, restored.Message);
                Assert.Contains("Restored snapshot across-restarts", restored.Message, StringComparison.Ordinal);

                // The container runs with the statement statistics loaded. (The restore put a new database in place,
                // whose statements are counted afresh: one is run first.)
                await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder((await app.GetConnectionStringAsync("clearway", ct))!) { Pooling = false }.ConnectionString))
                {
                    await connection.OpenAsync(ct);
                    await new NpgsqlCommand("""SELECT count(*) FROM "CapitalCall" """, connection).ExecuteScalarAsync(ct);
                }
                var queries = await app.ExecuteCommandAsync("clearway", "query-statistics", ct);
                Assert.True(queries.Success, queries.Message);
                Assert.StartsWith("Top ", queries.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            await options.RemoveVolumeAsync();
        }
    }
}
