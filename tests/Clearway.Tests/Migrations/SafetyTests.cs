using System.Globalization;
using System.Net.Sockets;
using System.Net;
using System.Text.RegularExpressions;
using Clearway.Testing.Xunit;
using Npgsql;

namespace Clearway.Tests.Migrations;

/// <summary>Refusals and bad input: one clear line, the right exit code, nothing changed.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SafetyTests(ClearwayFixture fixture) : MigrationTestBase(fixture)
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

    [Theory]
    [InlineData("YES")]
    [InlineData("y")]
    [InlineData("")]
    public async Task A_CONFIRM_MIGRATION_other_than_yes_is_refused_saying_what_was_given(string given)
    {
        var missing = NewDatabaseName();
        var env = Env(missing, "Production");
        env["CONFIRM_MIGRATION"] = given;

        var run = await MigrationServiceProcess.RunAsync(env);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"without CONFIRM_MIGRATION=yes (it is '{given}')", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(await DatabaseExistsAsync(missing));
    }

    [Fact]
    public async Task A_role_without_CREATE_on_schema_public_gets_the_one_line_42501_hint()
    {
        var db = await CreateDatabaseAsync();
        var role = "clearway_nocreate_" + db[^12..];
        await ExecuteAsync("postgres", $"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}'");
        try
        {
            await ExecuteAsync(db, "REVOKE CREATE ON SCHEMA public FROM PUBLIC"); // the PostgreSQL 15 default for non-owners
            var env = Env(db);
            env["ConnectionStrings__clearway"] = new NpgsqlConnectionStringBuilder(ConnectionString(db)) { Username = role, Password = $"pw-{role}" }.ConnectionString;

            var run = await MigrationServiceProcess.RunAsync(env);

            Assert.True(run.ExitCode == 1, run.ToString());
            var line = Assert.Single(run.ErrorLines);
            Assert.Contains("SQLSTATE 42501", line, StringComparison.Ordinal);
            Assert.Contains("permission denied", line, StringComparison.Ordinal);
            Assert.Contains("GRANT CREATE ON SCHEMA public", line, StringComparison.Ordinal);
            Assert.False(await TableExistsAsync(db, "__EFMigrationsHistory"));
        }
        finally
        {
            await ExecuteAsync("postgres", $"DROP ROLE IF EXISTS {role}");
        }
    }

    [Fact]
    public async Task The_server_wait_limit_holds_against_a_port_that_accepts_and_never_answers()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var socket = await listener.AcceptSocketAsync(stop.Token); // accepted, and never answered
                    lock (accepted)
                        accepted.Add(socket);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, Ct);
        try
        {
            var run = await MigrationServiceProcess.RunAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings__clearway"] = $"Host=127.0.0.1;Port={port};Database=clearway_silent;Username=postgres;Password=x",
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["Migrator__ServerWaitLimit"] = "00:00:03",
            });

            Assert.True(run.ExitCode == 1, run.ToString());
            var line = Assert.Single(run.ErrorLines);
            Assert.Contains($"Cannot reach PostgreSQL at 127.0.0.1:{port}, database \"clearway_silent\" after", line, StringComparison.Ordinal);
            var waited = double.Parse(Regex.Match(line, @" in (\d+(\.\d+)?) s: ").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(waited, 2.9, 5.0); // the worker's own clock: the 3 s limit, not Npgsql's 15 s per attempt
            lock (accepted)
                Assert.NotEmpty(accepted);
        }
        finally
        {
            await stop.CancelAsync();
            await accepting;
            lock (accepted)
                accepted.ForEach(s => s.Dispose());
        }
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
    [InlineData(new[] { "frobnicate" }, "unexpected argument 'frobnicate'", "")]
    [InlineData(new[] { "--frob" }, "unknown option '--frob'", "")]
    [InlineData(new[] { "status", "--idempotent" }, "unknown option '--idempotent'", " status")]
    [InlineData(new[] { "rollback" }, "Option '--to' is required", " rollback")]
    [InlineData(new[] { "rollback", "--to" }, "Required argument missing for option: '--to'", " rollback")]
    [InlineData(new[] { "rollback", "--to", "" }, "--to is empty", " rollback")]
    [InlineData(new[] { "--backup", " " }, "--backup is empty", "")]
    [InlineData(new[] { "script", "extra" }, "unexpected argument 'extra'", " script")]
    [InlineData(new[] { "status", "--environment", "" }, "--environment is empty", " status")]
    public async Task Bad_command_line_exits_2_with_one_line_before_touching_anything(string[] args, string message, string verb)
    {
        var db = NewDatabaseName();
        var run = await MigrationServiceProcess.RunAsync(Env(db), args);

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"clearway-migrations: {message}", line, StringComparison.Ordinal);
        Assert.EndsWith($"Fix: see `clearway-migrations{verb} --help`.", line, StringComparison.Ordinal);
        Assert.False(await DatabaseExistsAsync(db));
    }

    [Theory]
    [InlineData("Migrator__LockWaitLimit", "soon", "Failed to convert configuration value 'soon' at 'Migrator:LockWaitLimit' to type 'System.TimeSpan'")]
    [InlineData("Migrator__ServerWaitLimit", "", "Failed to convert configuration value '' at 'Migrator:ServerWaitLimit'")]
    [InlineData("Migrator__ServerWaitLimit", "-00:00:01", "Migrator:ServerWaitLimit must not be negative (got -00:00:01)")]
    [InlineData("Migrator__PgDumpPath", " ", "Migrator:PgDumpPath is empty")]
    public async Task Bad_migrator_settings_exit_2_with_one_line_naming_the_key(string variable, string value, string message)
    {
        var db = NewDatabaseName();
        var env = Env(db);
        env[variable] = value;

        var run = await MigrationServiceProcess.RunAsync(env);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"clearway-migrations: {message}", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(await DatabaseExistsAsync(db));
    }

    [Fact]
    public async Task Help_lists_the_verbs_and_exits_0()
    {
        var run = await MigrationServiceProcess.RunAsync(new Dictionary<string, string?>(), "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var verb in new[] { "migrate", "status", "verify", "script", "rollback" })
            Assert.Contains($"  {verb} ", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("--backup <file>", run.StdOut, StringComparison.Ordinal);
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
        var pgDump = PgDump();
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
            // It holds every row: the owner's alone, whatever the umask.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Contains("Backup written", run.StdOut, StringComparison.Ordinal);
            Assert.Equal([Path.GetFileName(file)], dir.GetFiles().Select(f => f.Name)); // no partial file left beside it
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Backup_refuses_to_replace_an_existing_file_unless_asked_to_overwrite_it()
    {
        var pgDump = PgDump();
        Assert.SkipWhen(pgDump is null, "pg_dump is not installed next to the server binaries.");
        var db = NewDatabaseName();
        var dir = Directory.CreateTempSubdirectory("clearway-backup-");
        try
        {
            var file = Path.Combine(dir.FullName, "existing.dump");
            await File.WriteAllTextAsync(file, "an earlier backup", Ct);
            var env = Env(db);
            env["Migrator__PgDumpPath"] = pgDump;

            var refused = await MigrationServiceProcess.RunAsync(env, "--backup", file);

            Assert.True(refused.ExitCode == 2, refused.ToString());
            var line = Assert.Single(refused.ErrorLines);
            Assert.Contains($"--backup: '{file}' already exists; nothing was changed.", line, StringComparison.Ordinal);
            Assert.Contains("--overwrite-backup", line, StringComparison.Ordinal);
            Assert.Equal("an earlier backup", await File.ReadAllTextAsync(file, Ct));
            Assert.False(await DatabaseExistsAsync(db));

            Assert.Equal(0, (await RunAsync(db)).ExitCode);
            var replaced = await MigrationServiceProcess.RunAsync(env, "rollback", "--to", All[3].Name, "--backup", file, "--overwrite-backup");

            Assert.True(replaced.ExitCode == 0, replaced.ToString());
            Assert.NotEqual("an earlier backup", await File.ReadAllTextAsync(file, Ct));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(All.Take(4).Select(m => m.Id), await HistoryAsync(db));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_failed_backup_says_truly_that_the_database_was_created_and_no_migration_applied()
    {
        const string failing = "/bin/false"; // coreutils' false(1) stands in for a pg_dump that fails
        var db = NewDatabaseName();
        var dir = Directory.CreateTempSubdirectory("clearway-backup-");
        try
        {
            var env = Env(db);
            env["Migrator__PgDumpPath"] = failing;

            var run = await MigrationServiceProcess.RunAsync(env, "--backup", Path.Combine(dir.FullName, "before.dump"));

            Assert.True(run.ExitCode == 1, run.ToString());
            var line = Assert.Single(run.ErrorLines);
            Assert.Contains("Backup failed: pg_dump exited with 1", line, StringComparison.Ordinal);
            Assert.Contains($"database \"{db}\" was created (empty); no migration was applied", line, StringComparison.Ordinal);
            Assert.DoesNotContain("nothing was changed", line, StringComparison.Ordinal);
            Assert.True(await DatabaseExistsAsync(db));
            Assert.Empty(await HistoryAsync(db));
            Assert.Empty(dir.GetFiles());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private string? PgDump() => Server.BinDirectory is { } bin && File.Exists(Path.Combine(bin, "pg_dump")) ? Path.Combine(bin, "pg_dump") : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
