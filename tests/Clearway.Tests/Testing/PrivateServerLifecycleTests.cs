using System.Net;
using System.Net.Sockets;
using Clearway.Testing;
using Npgsql;

namespace Clearway.Tests.Testing;

/// <summary>Private servers of their own (never the environment's): lifecycle and the one-line failures.</summary>
public sealed class PrivateServerLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Private even when CLEARWAY_TEST_POSTGRES is set for the run.</summary>
    private static readonly PostgresServerOptions Private = new() { ExternalConnectionString = () => null };

    [Fact]
    public async Task Dispose_stops_the_private_server_and_deletes_its_directory()
    {
        var server = await PostgresServer.StartAsync(Private, Ct);
        var root = server.RootDirectory;
        var pid = server.PostmasterPid;
        try
        {
            Assert.True(server.IsPrivate);
            Assert.NotNull(server.BinDirectory);
            Assert.True(File.Exists(Path.Combine(server.BinDirectory!, "pg_ctl")));
            Assert.True(Directory.Exists(root));
            Assert.NotNull(pid);
            Assert.True(IsRunning(pid!.Value));
            await using var conn = new NpgsqlConnection(server.AdminConnectionString);
            await conn.OpenAsync(Ct);
            TestContext.Current.SendDiagnosticMessage($"Private server started in {server.StartupTime.TotalMilliseconds:0} ms");
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(IsRunning(pid!.Value), $"postmaster {pid} still runs after dispose");
        Assert.False(Directory.Exists(root), $"{root} still exists after dispose");
        await server.DisposeAsync(); // twice: no-op
    }

    [Fact]
    public async Task Missing_binaries_fail_with_one_line_saying_what_to_do()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PostgresServer.StartAsync(Private with { BinDirectoryLocator = () => null }, Ct));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("apt-get install postgresql", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CLEARWAY_TEST_POSTGRES", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_port_fails_with_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PostgresServer.StartAsync(Private with { Port = port }, Ct));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains($"Port {port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_data_directory_fails_with_one_line_and_is_left_alone()
    {
        var dir = Directory.CreateTempSubdirectory("clearway-foreign-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "PG_VERSION"), "15\n", Ct);

            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                PostgresServer.StartAsync(Private with { DataDirectory = dir }, Ct));

            Assert.DoesNotContain('\n', ex.Message);
            Assert.Contains("not a PostgreSQL data directory created by Clearway.Testing", ex.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "PG_VERSION")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task KeepData_keeps_the_directory_and_a_restart_reuses_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), "clearway-keep-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var options = Private with { DataDirectory = dir, KeepData = true };
            string database;
            int? firstPid;
            await using (var first = await PostgresServer.StartAsync(options, Ct))
            {
                database = await first.CreateDatabaseAsync(cancellationToken: Ct);
                firstPid = first.PostmasterPid;
            }
            Assert.False(IsRunning(firstPid!.Value));
            Assert.True(Directory.Exists(dir));

            await using var second = await PostgresServer.StartAsync(options with { KeepData = false }, Ct);
            await using var conn = new NpgsqlConnection(second.ConnectionStringFor(database));
            await conn.OpenAsync(Ct); // same password, same data
            await conn.CloseAsync();
            await second.DisposeAsync();
            Assert.False(Directory.Exists(dir));
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Alive and not a zombie (the stopped postmaster is reparented to init, which reaps it when it likes).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
