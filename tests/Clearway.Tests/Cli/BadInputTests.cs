using System.Net;
using System.Net.Sockets;

namespace Clearway.Tests.Cli;

/// <summary>Bad input and unreachable servers: one line on stderr naming the problem and the fix, and the right exit code.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "clearway: Unrecognized command or argument 'frobnicate'. Fix: see `clearway --help`.")]
    [InlineData(new string[0], "clearway: a verb is needed (up, migrate, status, verify, script, rollback, seed, refresh-views, reset, states, snapshot, queries, indexes, explain, env, test-server). Fix: see `clearway --help`.")]
    [InlineData(new[] { "migrate", "--bogus" }, "clearway: Unrecognized command or argument '--bogus'. Fix: see `clearway migrate --help`.")]
    [InlineData(new[] { "status", "--to", "0" }, "clearway: Unrecognized command or argument '--to'. Fix: see `clearway status --help`.")]
    [InlineData(new[] { "rollback" }, "clearway: Option '--to' is required. Fix: see `clearway rollback --help`.")]
    [InlineData(new[] { "rollback", "--to", "" }, "clearway: --to is empty; give a migration name, id or version, or 0 for none (known: 0, InitialSchema, IntegrationExpansionPhase2, Phase2CompleteSchema, AddMaterializedViews, HardenIntegrity). Fix: see `clearway rollback --help`.")]
    [InlineData(new[] { "seed", "--seed", "abc" }, "clearway: seed must be an integer (got 'abc'). Fix: see `clearway seed --help`.")]
    [InlineData(new[] { "up", "--profile", "huge" }, "clearway: unknown profile 'huge' (expected tiny, dev or large). Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--seed", "abc" }, "clearway: seed must be an integer (got 'abc'). Fix: see `clearway up --help`.")]
    [InlineData(new[] { "seed", "--scale", "-1" }, "clearway: scale must be a number greater than 0 (got -1). Fix: see `clearway seed --help`.")]
    [InlineData(new[] { "seed", "--profile", "" }, "clearway: profile is empty (expected tiny, dev or large; leave it out for the default). Fix: see `clearway seed --help`.")]
    [InlineData(new[] { "seed", "--seed", "" }, "clearway: seed is empty (expected an integer; leave it out for the default). Fix: see `clearway seed --help`.")]
    [InlineData(new[] { "seed", "--scale", "" }, "clearway: scale is empty (expected a number greater than 0; leave it out for the default). Fix: see `clearway seed --help`.")]
    [InlineData(new[] { "seed", "--as-of", "" }, "clearway: as-of is empty (expected a date written YYYY-MM-DD; leave it out for the default). Fix: see `clearway seed --help`.")]
    [InlineData(new[] { "reset", "--as-of", "15/01/2026" }, "clearway: as-of must be a date written YYYY-MM-DD (got '15/01/2026'). Fix: see `clearway reset --help`.")]
    [InlineData(new[] { "up", "--port", "x" }, "clearway: --port must be a whole number from 1 to 65535 (got 'x'); pass a free TCP port, or leave --port out to get one. Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--port", "70000" }, "clearway: --port must be a whole number from 1 to 65535 (got '70000'); pass a free TCP port, or leave --port out to get one. Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--connection", "Host=x;Database=y", "--port", "5432" }, "clearway: --port, --data-dir and --slow-query-ms start a server of our own; --connection (or ConnectionStrings__clearway) uses an existing one. Fix: pass one or the other.")]
    [InlineData(new[] { "up", "--data-dir", "" }, "clearway: --data-dir is empty: give it a value or leave it out. Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--data-dir", "  " }, "clearway: --data-dir is empty: give it a value or leave it out. Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--port", "" }, "clearway: --port is empty: give it a value or leave it out. Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--profile", "" }, "clearway: profile is empty (expected tiny, dev or large; leave it out for the default). Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--seed", "" }, "clearway: seed is empty (expected an integer; leave it out for the default). Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--scale", "" }, "clearway: scale is empty (expected a number greater than 0; leave it out for the default). Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--as-of", "" }, "clearway: as-of is empty (expected a date written YYYY-MM-DD; leave it out for the default). Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--connection", "" }, "clearway: --connection is empty: give it a value or leave it out. Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--slow-query-ms", "-5" }, "clearway: --slow-query-ms must be a whole number of milliseconds, or -1 to log no plans (got '-5'). Fix: see `clearway up --help`.")]
    [InlineData(new[] { "up", "--slow-query-ms", "" }, "clearway: --slow-query-ms is empty: give it a value or leave it out. Fix: see `clearway up --help`.")]
    [InlineData(new[] { "queries", "--top", "0" }, "clearway: --top must be a whole number from 1 to 500 (got '0'); leave it out for 20. Fix: see `clearway queries --help`.")]
    [InlineData(new[] { "explain" }, "clearway: Required argument missing for command: 'explain'. Fix: see `clearway explain --help`.")]
    [InlineData(new[] { "explain", "  " }, "clearway: the statement to explain is empty. Fix: give one SQL statement, quoted.")]
    [InlineData(new[] { "explain", "SELECT 1; DROP TABLE \"User\"" }, "clearway: explain takes one statement, and this one holds a ';': a second statement could commit what the first did. Fix: explain the statements one at a time.")]
    public async Task Bad_input_is_one_line_and_exit_2(string[] args, string expected)
    {
        var run = await Cli.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(expected, Assert.Single(run.ErrorLines));
        Assert.Equal("", run.StdOut);
    }

    [Theory]
    [InlineData("Migrator__ServerWaitLimit", "soon", "clearway: Failed to convert configuration value 'soon' at 'Migrator:ServerWaitLimit' to type 'System.TimeSpan'")]
    [InlineData("Migrator__LockWaitLimit", "-00:00:01", "clearway: Migrator:LockWaitLimit must not be negative (got -00:00:01)")]
    public async Task Bad_migrator_settings_are_one_line_and_exit_2(string variable, string value, string expected)
    {
        var environment = Cli.Environment();
        environment[variable] = value;

        var run = await Cli.RunAsync(environment, "status", "--connection", "Host=127.0.0.1;Port=1;Database=clearway;Username=postgres;Password=x");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith(expected, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_on_a_data_dir_that_is_a_file_is_exit_2_in_one_line_and_the_file_is_untouched()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "keep me", TestContext.Current.CancellationToken);

            var run = await Cli.RunAsync("up", "--data-dir", file);

            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Equal($"clearway: Data directory '{file}' is a file: use a directory (missing, empty, or created by Clearway before).", Assert.Single(run.ErrorLines));
            Assert.Equal("keep me", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Up_with_a_socket_path_over_107_bytes_is_exit_2_in_one_line_naming_the_limit()
    {
        // Under /tmp itself (others can traverse it, as the server's account needs when the suite runs as root), not created.
        var dataDir = Path.Combine(Path.GetTempPath(), "clearway-cli-long-" + Guid.NewGuid().ToString("N") + new string('d', 60));

        var run = await Cli.RunAsync("up", "--data-dir", dataDir);

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains(Path.Combine(dataDir, "sock"), line, StringComparison.Ordinal);
        Assert.Contains("107 bytes", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDir), "the refused directory was created");
    }

    [Fact]
    public async Task Up_on_a_privileged_port_is_exit_2_in_one_line_saying_why()
    {
        // Below net.ipv4.ip_unprivileged_port_start only root may bind, and the server never runs as root.
        var limit = int.Parse(await File.ReadAllTextAsync("/proc/sys/net/ipv4/ip_unprivileged_port_start", TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(limit > 80, $"this machine lets any account bind ports from {limit}: port 80 is not privileged here");
        var dataDir = Path.Combine(Path.GetTempPath(), "clearway-cli-port-" + Guid.NewGuid().ToString("N")[..8]);

        var run = await Cli.RunAsync("up", "--data-dir", dataDir, "--port", "80");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("clearway: Port 80 is privileged", line, StringComparison.Ordinal);
        Assert.Contains(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDir), "the refused directory was created");
    }

    [Fact]
    public async Task No_connection_anywhere_is_exit_2_saying_how_to_fix_it()
    {
        var run = await Cli.RunAsync("status");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("clearway: no database to connect to: no --connection, no ConnectionStrings__clearway and no running `clearway up`", line, StringComparison.Ordinal);
        Assert.Contains("Fix: pass --connection", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_connection_string_is_exit_2()
    {
        var run = await Cli.RunAsync("status", "--connection", "Host=127.0.0.1;Username=postgres");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("clearway: The connection string names no Database.", Assert.Single(run.ErrorLines));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("migrate")]
    [InlineData("seed")]
    public async Task Unreachable_server_is_exit_1_after_the_wait_limit_naming_host_port_and_database(string verb)
    {
        var port = FreePort();
        var environment = Cli.Environment();
        environment["Migrator__ServerWaitLimit"] = "00:00:01";

        var run = await Cli.RunAsync(environment, verb, "--connection", $"Host=127.0.0.1;Port={port};Database=clearway;Username=postgres;Password=x");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith($"clearway: Cannot reach PostgreSQL at 127.0.0.1:{port}, database \"clearway\" after", run.ErrorLines[^1], StringComparison.Ordinal);
        Assert.Contains("Fix: cannot connect: check Host and Port", run.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("up")]
    [InlineData("migrate")]
    [InlineData("status")]
    [InlineData("script")]
    [InlineData("rollback")]
    [InlineData("verify")]
    [InlineData("seed")]
    [InlineData("refresh-views")]
    [InlineData("reset")]
    public async Task Every_verb_has_help_with_examples(string verb)
    {
        var run = await Cli.RunAsync(verb, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"clearway {verb}", run.StdOut[run.StdOut.IndexOf("Examples:", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("Options:", run.StdOut, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
