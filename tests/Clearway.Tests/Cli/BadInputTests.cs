using System.Net;
using System.Net.Sockets;

namespace Clearway.Tests.Cli;

/// <summary>Bad input and unreachable servers: one line on stderr naming the problem and the fix, and the right exit code.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "clearway: Unrecognized command or argument 'frobnicate'. Fix: see `clearway --help`.")]
    [InlineData(new string[0], "clearway: a verb is needed (up, migrate, status, script, rollback, verify, seed, refresh-views, reset). Fix: see `clearway --help`.")]
    [InlineData(new[] { "migrate", "--bogus" }, "clearway: Unrecognized command or argument '--bogus'. Fix: see `clearway migrate --help`.")]
    [InlineData(new[] { "status", "--to", "0" }, "clearway: Unrecognized command or argument '--to'. Fix: see `clearway status --help`.")]
    [InlineData(new[] { "rollback" }, "clearway: Option '--to' is required. Fix: see `clearway rollback --help`.")]
    [InlineData(new[] { "seed", "--seed", "abc" }, "clearway: seed must be an integer (got 'abc'). Fix: see `clearway <verb> --help`.")]
    [InlineData(new[] { "up", "--profile", "huge" }, "clearway: unknown profile 'huge' (expected tiny, dev or large). Fix: see `clearway <verb> --help`.")]
    [InlineData(new[] { "up", "--seed", "abc" }, "clearway: seed must be an integer (got 'abc'). Fix: see `clearway <verb> --help`.")]
    [InlineData(new[] { "seed", "--scale", "-1" }, "clearway: scale must be a number greater than 0 (got -1). Fix: see `clearway <verb> --help`.")]
    [InlineData(new[] { "seed", "--profile", "" }, "clearway: profile is empty (expected tiny, dev or large; leave it out for the default). Fix: see `clearway <verb> --help`.")]
    [InlineData(new[] { "seed", "--seed", "" }, "clearway: seed is empty (expected an integer; leave it out for the default). Fix: see `clearway <verb> --help`.")]
    [InlineData(new[] { "seed", "--scale", "" }, "clearway: scale is empty (expected a number greater than 0; leave it out for the default). Fix: see `clearway <verb> --help`.")]
    [InlineData(new[] { "seed", "--as-of", "" }, "clearway: as-of is empty (expected a date written YYYY-MM-DD; leave it out for the default). Fix: see `clearway <verb> --help`.")]
    [InlineData(new[] { "reset", "--as-of", "15/01/2026" }, "clearway: as-of must be a date written YYYY-MM-DD (got '15/01/2026'). Fix: see `clearway <verb> --help`.")]
    [InlineData(new[] { "up", "--port", "x" }, "clearway: --port must be a whole number from 1 to 65535 (got 'x'). Fix: pass a free TCP port, or leave --port out to get one.")]
    [InlineData(new[] { "up", "--port", "70000" }, "clearway: --port must be a whole number from 1 to 65535 (got '70000'). Fix: pass a free TCP port, or leave --port out to get one.")]
    [InlineData(new[] { "up", "--connection", "Host=x;Database=y", "--port", "5432" }, "clearway: --port and --data-dir start a server of our own; --connection (or ConnectionStrings__clearway) uses an existing one. Fix: pass one or the other.")]
    public async Task Bad_input_is_one_line_and_exit_2(string[] args, string expected)
    {
        var run = await Cli.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(expected, Assert.Single(run.ErrorLines));
        Assert.Equal("", run.StdOut);
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
