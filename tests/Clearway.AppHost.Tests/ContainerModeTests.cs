namespace Clearway.AppHost.Tests;

/// <summary>The default mode: PostgreSQL in a container (the locally built image), migrations, seeder; then a restart on the same volume.</summary>
public sealed class ContainerModeTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Migrates_and_seeds_then_a_second_run_on_the_same_volume_applies_nothing_and_skips_the_seed()
    {
        var image = await ContainerEngine.RequireLocalPostgresImageAsync();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(RunLimit);
        var ct = limit.Token;
        var options = new AppHostOptions { Image = image };
        try
        {
            SeededDatabase first;
            await using (var app = await TestAppHost.StartAsync(options, ct))
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", ct);
                Assert.Equal(0, (await app.WaitForExitAsync("migrations", ct)).Snapshot.ExitCode);
                Assert.Equal(0, (await app.WaitForExitAsync("seeder", ct)).Snapshot.ExitCode);
                first = await SeededDatabase.ReadAsync((await app.GetConnectionStringAsync("clearway", ct))!, ct);
                first.AssertDevSeed();
            }

            await using (var app = await TestAppHost.StartAsync(options, ct))
            {
                var skipped = app.WaitForLineAsync("seeder", line => line.Contains("already seeded", StringComparison.Ordinal), ct);
                Assert.Equal(0, (await app.WaitForExitAsync("migrations", ct)).Snapshot.ExitCode);
                Assert.Equal(0, (await app.WaitForExitAsync("seeder", ct)).Snapshot.ExitCode);
                var second = await SeededDatabase.ReadAsync((await app.GetConnectionStringAsync("clearway", ct))!, ct);
                Assert.True(first.SameAs(second), $"the second run changed the database: {first} then {second}");
                await skipped;
            }
        }
        finally
        {
            await options.RemoveVolumeAsync();
        }
    }
}
