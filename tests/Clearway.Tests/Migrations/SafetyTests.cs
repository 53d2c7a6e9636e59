using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Clearway.Tests.Migrations;

/// <summary>Refusals and bad input: one clear line, the right exit code, nothing changed.</summary>
public sealed class SafetyTests(PostgresServerFixture fixture) : MigrationTestBase(fixture)
{
    [Fact]
    public async Task Outside_Development_without_CONFIRM_MIGRATION_it_lists_the_plan_exits_2_and_touches_nothing()
    {
        var missing = NewDatabaseName();
        var run = await MigrationServiceProcess.RunAsync(Env(missing, "Production"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Refusing to migrate in environment 'Production' without CONFIRM_MIGRATION=yes", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("and create the database", run.StdErr, StringComparison.Ordinal);
        Assert.All(All, m => Assert.Contains($"Would apply {m.Name} ({m.Version})", run.StdOut, StringComparison.Ordinal));
        Assert.False(await DatabaseExistsAsync(missing));

        var empty = await CreateDatabaseAsync();
        var again = await MigrationServiceProcess.RunAsync(Env(empty, "Staging"));
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Equal(0L, await ScalarAsync<long>(empty, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"));

        var confirmed = Env(empty, "Production");
        confirmed["CONFIRM_MIGRATION"] = "yes";
        var run3 = await MigrationServiceProcess.RunAsync(confirmed);
        Assert.True(run3.ExitCode == 0, run3.ToString());
        Assert.Equal(All.Select(m => m.Id), await HistoryAsync(empty));
    }

    [Fact]
    public async Task Missing_connection_string_exits_2_with_one_line()
    {
        var run = await MigrationServiceProcess.RunAsync(new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Development" });

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Connection string 'ConnectionStrings:clearway' is not set (environment variable ConnectionStrings__clearway)", run.StdErr, StringComparison.Ordinal);
        Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=notaport;Database=clearway", "The connection string is malformed")]
    [InlineData("this is not a connection string", "The connection string is malformed")]
    [InlineData("Host=127.0.0.1;Username=postgres", "The connection string names no Database")]
    public async Task Malformed_connection_string_exits_2(string connectionString, string message)
    {
        var run = await MigrationServiceProcess.RunAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__clearway"] = connectionString,
            ["DOTNET_ENVIRONMENT"] = "Development",
        });

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_server_exits_1_after_the_bounded_wait_naming_host_port_and_database()
    {
        var port = FreePort();
        var run = await MigrationServiceProcess.RunAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__clearway"] = $"Host=127.0.0.1;Port={port};Database=clearway_nowhere;Username=postgres;Password=x",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Migrator__ServerWaitLimit"] = "00:00:02",
        });

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"Cannot reach PostgreSQL at 127.0.0.1:{port}, database \"clearway_nowhere\" after", run.StdErr, StringComparison.Ordinal);
        Assert.True(run.StdOut.Split('\n').Count(l => l.Contains("Attempt ", StringComparison.Ordinal)) >= 2, run.ToString()); // a log line per attempt
        Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Wrong_password_exits_1_at_once_with_the_auth_hint()
    {
        Assert.SkipUnless(Server.IsPrivate, "An external server's authentication is not ours to know.");
        var db = await CreateDatabaseAsync();
        var wrong = new NpgsqlConnectionStringBuilder(ConnectionString(db));
        wrong.Password += "-wrong";
        var env = Env(db);
        env["ConnectionStrings__clearway"] = wrong.ConnectionString;

        var run = await MigrationServiceProcess.RunAsync(env);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("28P01", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("authentication failed", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Attempt 2", run.Output, StringComparison.Ordinal); // no retrying a wrong password
    }

    [Fact]
    public async Task A_database_that_is_not_ours_is_refused_with_exit_2_unless_forced()
    {
        var db = await CreateDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE customers (id int); CREATE TABLE orders (id int)");

        var run = await RunAsync(db);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"Database \"{db}\"", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("is not a Clearway database: it has 2 table(s) (customers, orders) and no migration history", run.StdErr, StringComparison.Ordinal);
        Assert.False(await TableExistsAsync(db, "__EFMigrationsHistory"));

        var forced = await RunAsync(db, "--force");
        Assert.Equal(All.Select(m => m.Id), await HistoryAsync(db)); // --force migrates; the verifier then flags the two strangers
        Assert.Contains("ExtraTable", forced.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "Unknown verb 'frobnicate'")]
    [InlineData(new[] { "--frob" }, "Unknown option '--frob' for 'migrate'")]
    [InlineData(new[] { "status", "--idempotent" }, "Unknown option '--idempotent' for 'status'")]
    [InlineData(new[] { "rollback" }, "rollback needs --to <migration|0>")]
    [InlineData(new[] { "rollback", "--to" }, "Option --to needs a value")]
    [InlineData(new[] { "script", "extra" }, "Unexpected argument 'extra'")]
    public async Task Bad_command_line_exits_2_before_touching_anything(string[] args, string message)
    {
        var db = NewDatabaseName();
        var run = await MigrationServiceProcess.RunAsync(Env(db), args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"error: {message}", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("usage:", run.StdErr, StringComparison.Ordinal);
        Assert.False(await DatabaseExistsAsync(db));
    }

    [Theory]
    [InlineData("rollback", "--to", "NoSuchMigration")]
    [InlineData("script", "--to", "NoSuchMigration")]
    [InlineData("script", "--from", "NoSuchMigration")]
    public async Task A_migration_name_this_build_does_not_have_exits_2(string verb, string option, string name)
    {
        var db = await CreateDatabaseAsync();
        var run = await RunAsync(db, verb, option, name);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"names migration '{name}', which this build does not have; known: 0, {All[0].Name}", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_with_migrations_unknown_to_this_build_is_reported_by_status_and_refused_by_migrate()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        await ExecuteAsync(db, """INSERT INTO "__EFMigrationsHistory" VALUES ('29990101000000_FromTheFuture', '10.0.0')""");

        var status = await RunAsync(db, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("drift: migration 29990101000000_FromTheFuture is applied in the database but unknown to this build", status.StdOut, StringComparison.Ordinal);

        var migrate = await RunAsync(db);
        Assert.True(migrate.ExitCode == 2, migrate.ToString());
        Assert.Contains("this build does not know: 29990101000000_FromTheFuture", migrate.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_writes_a_dump_before_migrating_and_a_missing_pg_dump_refuses_with_nothing_changed()
    {
        var pgDump = Server.BinDirectory is { } bin && File.Exists(Path.Combine(bin, "pg_dump")) ? Path.Combine(bin, "pg_dump") : null;
        Assert.SkipWhen(pgDump is null, "pg_dump is not installed next to the server binaries.");
        var db = await CreateDatabaseAsync();
        var dir = Directory.CreateTempSubdirectory("clearway-backup-");
        try
        {
            var env = Env(db);
            env["Migrator__PgDumpPath"] = Path.Combine(dir.FullName, "no-such-pg_dump");
            var refused = await MigrationServiceProcess.RunAsync(env, "--backup", Path.Combine(dir.FullName, "a.dump"));
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains("pg_dump not found", refused.StdErr, StringComparison.Ordinal);
            Assert.Empty(await HistoryAsync(db));

            env["Migrator__PgDumpPath"] = pgDump;
            var file = Path.Combine(dir.FullName, "before.dump");
            var run = await MigrationServiceProcess.RunAsync(env, "--backup", file);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.True(new FileInfo(file).Length > 0);
            Assert.Contains("Backup written", run.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
