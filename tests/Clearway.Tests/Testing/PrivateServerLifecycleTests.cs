using Clearway.Testing;
using Npgsql;

namespace Clearway.Tests.Testing;

/// <summary>The fixture's private servers (never the environment's): lifecycle and the one-line failure when there are no binaries.</summary>
public sealed class PrivateServerLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dispose_stops_the_private_server_and_deletes_its_directory()
    {
        var server = await PostgresServer.StartPrivateAsync(cancellationToken: Ct);
        var root = server.RootDirectory;
        var pid = server.PostmasterPid;
        try
        {
            Assert.True(server.IsPrivate);
            Assert.NotNull(server.BinDirectory);
            Assert.True(File.Exists(Path.Combine(server.BinDirectory!, "postgres")));
            Assert.True(Directory.Exists(root));
            Assert.NotNull(pid);
            Assert.True(Cli.Up.IsRunning(pid!.Value));
            await using var conn = new NpgsqlConnection(server.AdminConnectionString);
            await conn.OpenAsync(Ct);
            TestContext.Current.SendDiagnosticMessage($"Private server started in {server.StartupTime.TotalMilliseconds:0} ms");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DisposeAsync();
        }

        Assert.False(Cli.Up.IsRunning(pid!.Value), $"postmaster {pid} still runs after dispose");
        Assert.False(Directory.Exists(root), $"{root} still exists after dispose");
        await server.DisposeAsync(); // twice: no-op
    }

    [Fact]
    public async Task Missing_binaries_fail_with_one_line_saying_what_to_do()
    {
        var empty = Directory.CreateTempSubdirectory("clearway-no-bin-").FullName;
        try
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresServer.StartPrivateAsync(empty, Ct));

            Assert.DoesNotContain('\n', ex.Message);
            Assert.Contains($"were not found in '{empty}'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("apt-get install postgresql", ex.Message, StringComparison.Ordinal);
            Assert.Contains("CLEARWAY_TEST_POSTGRES", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
