using System.Net;
using System.Net.Sockets;
using Clearway.Postgres;
using Npgsql;

namespace Clearway.Tests.LocalPostgres;

/// <summary>
/// <see cref="LocalPostgresServer"/> on directories of its own (never the run's server): kept and throwaway
/// directories, durability, and bad input refused in one line before anything is touched.
/// </summary>
public sealed class LocalPostgresServerTests : IDisposable
{
    private readonly List<string> _directories = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_kept_directory_is_durable_survives_a_stop_and_a_restart_reuses_its_data_and_password()
    {
        var dir = NewDirectory();
        var options = new PostgresClusterOptions { Directory = dir };
        string database = "kept_" + Guid.NewGuid().ToString("N")[..8];
        string password;
        int firstPid;
        await using (var first = await LocalPostgresServer.StartAsync(options, Ct))
        {
            Assert.True(first.Cluster.IsNew);
            Assert.False(first.IsTemporary);
            password = first.Cluster.Password;
            firstPid = first.ProcessId;
            await using var conn = new NpgsqlConnection(first.ConnectionString());
            await conn.OpenAsync(Ct);
            foreach (var setting in new[] { "fsync", "synchronous_commit", "full_page_writes" })
                Assert.Equal((setting, "on"), (setting, await ScalarAsync<string>(conn, $"SHOW {setting}")));
            await ExecuteAsync(conn, $"CREATE DATABASE {database}");
        }
        NpgsqlConnection.ClearAllPools();
        Assert.False(Up(firstPid), $"postmaster {firstPid} still runs after dispose");
        Assert.True(Directory.Exists(Path.Combine(dir, "pgdata")));

        await using var second = await LocalPostgresServer.StartAsync(options, Ct);
        Assert.False(second.Cluster.IsNew);
        Assert.Equal(password, second.Cluster.Password);
        await using var again = new NpgsqlConnection(second.ConnectionString(database));
        await again.OpenAsync(Ct); // same password, same data
    }

    [Fact]
    public async Task A_temporary_server_runs_without_durability_and_its_directory_goes_with_it()
    {
        var server = await LocalPostgresServer.StartTemporaryAsync(cancellationToken: Ct);
        var dir = server.Cluster.Directory;
        var pid = server.ProcessId;
        try
        {
            Assert.True(server.IsTemporary);
            Assert.StartsWith(Path.GetTempPath(), dir, StringComparison.Ordinal);
            await using var conn = new NpgsqlConnection(server.ConnectionString());
            await conn.OpenAsync(Ct);
            foreach (var setting in new[] { "fsync", "synchronous_commit", "full_page_writes" })
                Assert.Equal((setting, "off"), (setting, await ScalarAsync<string>(conn, $"SHOW {setting}")));
            Assert.Equal("127.0.0.1", await ScalarAsync<string>(conn, "SHOW listen_addresses"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DisposeAsync();
        }
        Assert.False(Up(pid));
        Assert.False(Directory.Exists(dir), $"{dir} still exists");
        await server.DisposeAsync(); // twice: nothing
    }

    [Fact]
    public async Task A_failed_start_says_why_in_one_line_from_the_server_log_and_releases_the_directory()
    {
        var dir = NewDirectory();
        await (await LocalPostgresServer.StartAsync(new() { Directory = dir }, Ct)).DisposeAsync();
        await File.AppendAllTextAsync(Path.Combine(dir, "pgdata", "postgresql.auto.conf"), "shared_buffers = 'lots'\n", Ct);

        var failed = await Assert.ThrowsAsync<PostgresStartFailedException>(() => LocalPostgresServer.StartAsync(new() { Directory = dir }, Ct));

        Assert.DoesNotContain('\n', failed.Message);
        Assert.StartsWith("PostgreSQL failed to start (exit 1): ", failed.Message, StringComparison.Ordinal);
        Assert.Contains("invalid value for parameter \"shared_buffers\": \"lots\"", failed.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(dir, "server.log"), failed.LogFile);
        // Released: the next owner gets it at once (and refuses the same bad setting the same way).
        await Assert.ThrowsAsync<PostgresStartFailedException>(() => LocalPostgresServer.StartAsync(new() { Directory = dir }, Ct));
    }

    [Fact]
    public async Task A_taken_port_is_refused_in_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dir = NewDirectory();

        var refused = await Assert.ThrowsAsync<PostgresStartRefusedException>(() => LocalPostgresServer.StartAsync(new() { Directory = dir, Port = port }, Ct));

        Assert.Equal(PostgresRefusal.PortInUse, refused.Reason);
        Assert.Equal($"Port {port} on 127.0.0.1 is already in use: choose another port or leave Port unset to get a free one.", refused.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task A_foreign_data_directory_is_refused_in_one_line_and_left_alone()
    {
        var dir = NewDirectory();
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "PG_VERSION"), "15\n", Ct);

        var refused = await Assert.ThrowsAsync<PostgresStartRefusedException>(() => LocalPostgresServer.StartAsync(new() { Directory = dir }, Ct));

        Assert.Equal(PostgresRefusal.DirectoryNotOurs, refused.Reason);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Contains("not a PostgreSQL data directory created by Clearway", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["PG_VERSION"], Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_values_are_refused_not_defaulted(string empty)
    {
        var noDirectory = await Assert.ThrowsAsync<PostgresStartRefusedException>(() => LocalPostgresServer.StartAsync(new() { Directory = empty }, Ct));
        Assert.Equal(PostgresRefusal.EmptyValue, noDirectory.Reason);

        var dir = NewDirectory();
        var noBin = await Assert.ThrowsAsync<PostgresStartRefusedException>(() => LocalPostgresServer.StartAsync(new() { Directory = dir, BinDirectory = empty }, Ct));
        Assert.Equal(PostgresRefusal.EmptyValue, noBin.Reason);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task A_file_a_privileged_port_and_a_socket_path_over_107_bytes_are_refused_before_anything_is_touched()
    {
        var file = Path.GetTempFileName();
        _directories.Add(file);
        var isFile = await Assert.ThrowsAsync<PostgresStartRefusedException>(() => LocalPostgresServer.StartAsync(new() { Directory = file }, Ct));
        Assert.Equal(PostgresRefusal.DirectoryIsAFile, isFile.Reason);

        var unprivileged = int.Parse(await File.ReadAllTextAsync("/proc/sys/net/ipv4/ip_unprivileged_port_start", Ct), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(unprivileged > 80, $"this machine lets any account bind ports from {unprivileged}: port 80 is not privileged here");
        var dir = NewDirectory();
        var privileged = await Assert.ThrowsAsync<PostgresStartRefusedException>(() => LocalPostgresServer.StartAsync(new() { Directory = dir, Port = 80 }, Ct));
        Assert.Equal(PostgresRefusal.PrivilegedPort, privileged.Reason);
        Assert.False(Directory.Exists(dir));

        var longDir = NewDirectory() + new string('l', 90);
        var tooLong = await Assert.ThrowsAsync<PostgresStartRefusedException>(() => LocalPostgresServer.StartAsync(new() { Directory = longDir }, Ct));
        Assert.Equal(PostgresRefusal.SocketPathTooLong, tooLong.Reason);
        Assert.Contains("107 bytes", tooLong.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(longDir));
    }

    private string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "clearway-local-" + Guid.NewGuid().ToString("N")[..8]);
        _directories.Add(dir);
        return dir;
    }

    private static bool Up(int pid) => Clearway.Tests.Cli.Up.IsRunning(pid);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync(Ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    public void Dispose()
    {
        foreach (var path in _directories)
        {
            try
            {
                if (Directory.Exists(path))
                    Directory.Delete(path, recursive: true);
                else
                    File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // best effort
            }
        }
    }
}
