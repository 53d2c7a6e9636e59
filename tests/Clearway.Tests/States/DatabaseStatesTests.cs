using Clearway.Seeding;
using Clearway.States;
using Clearway.Testing.Xunit;
using Clearway.Tests.Cli;
using Clearway.Tests.Infrastructure;
using Clearway.Tests.Seeding;
using Npgsql;

namespace Clearway.Tests.States;

/// <summary>Seeding, resetting and snapshots through the template store: the same bytes as a fresh seed, swaps that lose nothing.</summary>
public sealed class DatabaseStatesTests(ClearwayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SeedOptions NewRecipe(SeedProfile profile = SeedProfile.Tiny) =>
        SeedDatabase.Options(profile, seed: Random.Shared.Next(1_000_000, int.MaxValue));

    [Theory]
    [InlineData(SeedProfile.Tiny)]
    [InlineData(SeedProfile.Dev)]
    public async Task A_seed_from_the_store_holds_the_same_bytes_as_a_fresh_seed_in_place_and_a_cached_one_too(SeedProfile profile)
    {
        var options = NewRecipe(profile);
        await using var fresh = await SeedDatabase.CreateAsync(fixture.Factory);
        await fresh.SeedAsync(options); // the one-transaction seed into the live database
        await using var built = await SeedDatabase.CreateAsync(fixture.Factory);
        await using var cached = await SeedDatabase.CreateAsync(fixture.Factory);

        var first = await new DatabaseStates(built.ConnectionString).SeedAsync(options, cancellationToken: Ct);
        var second = await new DatabaseStates(cached.ConnectionString).SeedAsync(options, cancellationToken: Ct);

        Assert.Contains("built", first.Message, StringComparison.Ordinal); // parallel load, COPY FREEZE, keys after
        Assert.Contains("reused", second.Message, StringComparison.Ordinal);
        var expected = await fresh.TableFingerprintsAsync();
        Assert.Equal(expected, await built.TableFingerprintsAsync());
        Assert.Equal(expected, await cached.TableFingerprintsAsync());
    }

    [Fact]
    public async Task Reset_replaces_what_the_app_wrote_while_a_session_is_connected_and_the_session_reconnects()
    {
        var options = NewRecipe();
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        var states = new DatabaseStates(db.ConnectionString);
        await states.SeedAsync(options, cancellationToken: Ct);
        var seeded = await db.TableFingerprintsAsync();
        await db.ExecuteAsync("""DELETE FROM "AuditLog" """, Ct);

        // The app's pooled session, open across the reset.
        await using var app = NpgsqlDataSource.Create(db.ConnectionString);
        await using (var before = await app.OpenConnectionAsync(Ct))
            await new NpgsqlCommand("SELECT 1", before).ExecuteScalarAsync(Ct);

        var change = await states.ResetAsync(options with { Reset = true }, Ct);

        Assert.False(change.Built);
        Assert.Equal(seeded, await db.TableFingerprintsAsync());
        // Its idle session was ended: the first use may meet the dead one, which the pool then drops; the next works.
        async Task<long> AuditLogRowsAsync()
        {
            await using var connection = await app.OpenConnectionAsync(Ct);
            return (long)(await new NpgsqlCommand("""SELECT count(*) FROM "AuditLog" """, connection).ExecuteScalarAsync(Ct))!;
        }
        long rows;
        try
        {
            rows = await AuditLogRowsAsync();
        }
        catch (NpgsqlException)
        {
            rows = await AuditLogRowsAsync();
        }
        Assert.True(rows > 0);
    }

    [Fact]
    public async Task A_database_with_rows_that_are_not_Clearways_is_never_replaced()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        var states = new DatabaseStates(db.ConnectionString);
        await states.SeedAsync(NewRecipe(), cancellationToken: Ct);
        await db.ExecuteAsync("CREATE TABLE app_notes (id int PRIMARY KEY, text text); INSERT INTO app_notes VALUES (1, 'mine')", Ct);

        var refused = await Assert.ThrowsAsync<StateException>(() => states.ResetAsync(NewRecipe() with { Reset = true }, Ct));
        Assert.Contains("app_notes", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--rebuild", refused.Hint, StringComparison.Ordinal);

        // A reseed goes in place instead: only the 28 tables are written, the app's table keeps its row.
        var reseeded = await states.SeedAsync(NewRecipe() with { Reset = true }, cancellationToken: Ct);
        Assert.Equal(SeedOutcome.Seeded, reseeded.Outcome);
        Assert.Equal("mine", await db.ScalarAsync<string>("SELECT text FROM app_notes WHERE id = 1"));
    }

    [Fact]
    public async Task Rows_the_seeder_did_not_write_are_refused_whatever_the_store_holds()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        await db.ExecuteAsync("""INSERT INTO "User" (id, "clerkId", email, "updatedAt") VALUES ('cu1', 'user_1', 'a@customer.example', now())""", Ct);

        var refused = await Assert.ThrowsAsync<SeedRefusedException>(() => new DatabaseStates(db.ConnectionString).SeedAsync(NewRecipe(), cancellationToken: Ct));

        Assert.Contains("rows the seeder did not write", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.ScalarAsync<long>("""SELECT count(*) FROM "User" """));
    }

    [Fact]
    public async Task A_kill_during_a_swap_leaves_the_old_database_and_the_next_run_removes_the_leftover()
    {
        var options = NewRecipe();
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        await new DatabaseStates(db.ConnectionString).SeedAsync(options, cancellationToken: Ct);
        await db.ExecuteAsync("""DELETE FROM "AuditLog" """, Ct);
        var before = await db.TableFingerprintsAsync();

        // Hold the database's catalog row: the swap's first change to it (holding new sessions off) waits here.
        await using var blocker = new NpgsqlConnection(fixture.Server.AdminConnectionString);
        await blocker.OpenAsync(Ct);
        var hold = await blocker.BeginTransactionAsync(Ct);
        await using (var row = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname = $1 FOR UPDATE", blocker, hold) { Parameters = { new() { Value = db.Name } } })
            await row.ExecuteScalarAsync(Ct);

        await using var reset = Cli.Cli.Start(Cli.Cli.Environment(), "reset", "--yes", "--profile", "tiny", "--seed", options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--as-of", "2026-06-15", "--connection", db.ConnectionString);
        await ServerActivity.WaitForRowAsync(fixture.Server.AdminConnectionString, "the swap waiting on the database's row", reset,
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position('ALLOW_CONNECTIONS false' in query) > 0 AND position($1 in query) > 0", db.Name);
        reset.Kill(); // kill -9, half-way through the swap: the replacement is cloned, nothing is renamed yet
        await reset.WaitForExitAsync(TimeSpan.FromMinutes(1), Ct);
        await hold.CommitAsync(Ct);
        Assert.NotEmpty(await DatabasesLikeAsync(db.Name + "__next_%"));

        // The next run recovers first: the leftover goes, sessions are let in, and the old database is intact.
        var next = await new DatabaseStates(db.ConnectionString).SeedAsync(options, cancellationToken: Ct);

        Assert.Equal(SeedOutcome.AlreadySeeded, next.Outcome);
        Assert.Empty(await DatabasesLikeAsync(db.Name + "\\_\\_%"));
        Assert.Equal(before, await db.TableFingerprintsAsync());
    }

    [Fact]
    public async Task A_kill_during_a_parallel_template_build_loses_nothing_and_the_next_run_leaves_no_orphan()
    {
        var options = NewRecipe(SeedProfile.Dev);
        var template = new StateRecipe(options).Key;
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        await new DatabaseStates(db.ConnectionString).SeedAsync(NewRecipe(), cancellationToken: Ct);
        var before = await db.TableFingerprintsAsync();

        await using var seed = Cli.Cli.Start(Cli.Cli.Environment(), "seed", "--reset", "--profile", "dev", "--seed", options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--as-of", "2026-06-15", "--connection", db.ConnectionString);
        await ServerActivity.WaitForRowAsync(fixture.Server.AdminConnectionString, "rows being copied into the template under construction", seed,
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND starts_with(query, 'COPY')", template.BuildName);
        seed.Kill();
        await seed.WaitForExitAsync(TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(before, await db.TableFingerprintsAsync());

        var rerun = await new DatabaseStates(db.ConnectionString).SeedAsync(options with { Reset = true }, cancellationToken: Ct);

        Assert.Contains("built", rerun.Message, StringComparison.Ordinal);
        Assert.Equal([template.DatabaseName], await DatabasesLikeAsync(template.DatabaseName + "%"));
        Assert.Empty(await DatabasesLikeAsync(db.Name + "\\_\\_%"));
        await fixture.Server.DropDatabaseAsync(template.DatabaseName, Ct);
    }

    [Fact]
    public async Task Restoring_a_snapshot_from_before_a_migration_is_refused_or_migrated_forward()
    {
        await using var db = await TestDatabase.CreateAsync(fixture.Factory, migrateTo: "AddMaterializedViews", cancellationToken: Ct);
        var snapshots = new Snapshots(new StateServer(db.ConnectionString), db.Name);
        var name = "old-" + Guid.NewGuid().ToString("N")[..8];
        await snapshots.SaveAsync(name, Ct);
        try
        {
            // The build moved on: HardenIntegrity applied (by our migrator, whose sessions are unpooled: the save ended the pooled ones).
            await new Clearway.Data.Migrator.ClearwayMigrator(new Clearway.Data.Migrator.MigrationRun { ConnectionString = db.ConnectionString, EnvironmentName = "Development" })
                .MigrateAsync(Ct);

            var refused = await Assert.ThrowsAsync<StateException>(() => snapshots.RestoreAsync(name, migrateForward: false, Ct));
            Assert.Contains("before 1 migration(s) of this build (HardenIntegrity)", refused.Message, StringComparison.Ordinal);
            Assert.Contains("--migrate", refused.Hint, StringComparison.Ordinal);

            var restored = await snapshots.RestoreAsync(name, migrateForward: true, Ct);
            Assert.Equal(["HardenIntegrity"], restored.MigratedForward);
            Assert.Equal(5, await db.ScalarAsync<long>("""SELECT count(*) FROM "__EFMigrationsHistory" """));
        }
        finally
        {
            await snapshots.RemoveAsync(name, Ct);
        }
    }

    private Task<List<string>> DatabasesLikeAsync(string pattern) =>
        TextColumn.ReadAsync(fixture.Server.AdminConnectionString, "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname", pattern, Ct);
}
