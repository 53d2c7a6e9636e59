using System.Text.RegularExpressions;
using Clearway.Testing.Xunit;
using Clearway.Testing;
using Npgsql;

namespace Clearway.Tests.Testing;

/// <summary>The shared server: it answers, authenticates over TCP, and creates and drops databases.</summary>
public sealed class PostgresServerTests(ClearwayFixture fixture)
{
    private PostgresServer Server => fixture.Server;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Server_answers_select_version()
    {
        await using var conn = new NpgsqlConnection(Server.AdminConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("SELECT version()", conn);
        var version = (string?)await cmd.ExecuteScalarAsync(Ct);

        Assert.StartsWith("PostgreSQL ", version);
        Assert.Equal("postgres", conn.Database);
        TestContext.Current.SendDiagnosticMessage($"{version}; fixture server started in {Server.StartupTime.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Private_server_takes_the_password_over_tcp_and_refuses_a_wrong_one()
    {
        Assert.SkipUnless(Server.IsPrivate, "The server comes from CLEARWAY_TEST_POSTGRES: its auth is not ours to check.");
        var good = new NpgsqlConnectionStringBuilder(Server.AdminConnectionString);
        Assert.Equal("127.0.0.1", good.Host);
        Assert.False(string.IsNullOrEmpty(good.Password));

        await using (var conn = new NpgsqlConnection(good.ConnectionString))
        {
            await conn.OpenAsync(Ct);
            Assert.Equal("127.0.0.1", await ScalarAsync<string>(conn, "SHOW listen_addresses"));
            Assert.Equal("off", await ScalarAsync<string>(conn, "SHOW fsync"));
            Assert.Equal(Path.Combine(Server.RootDirectory!, "sock"), await ScalarAsync<string>(conn, "SHOW unix_socket_directories"));
            // A password everywhere, the socket included (issue 12, item 1).
            Assert.Equal(0L, await ScalarAsync<long>(conn,
                "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'"));
        }

        var wrong = new NpgsqlConnectionStringBuilder(good.ConnectionString) { Password = good.Password + "x", Pooling = false };
        await using var bad = new NpgsqlConnection(wrong.ConnectionString);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => bad.OpenAsync(Ct));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, ex.SqlState);
    }

    [Fact]
    public async Task CreateDatabase_and_DropDatabase_work()
    {
        var name = await Server.CreateDatabaseAsync(cancellationToken: Ct);
        Assert.Matches(new Regex("^clearway_test_[0-9a-f]{16}$"), name);

        // An open session on the database must not stop the drop (WITH (FORCE)).
        await using (var conn = new NpgsqlConnection(Server.ConnectionStringFor(name)))
        {
            await conn.OpenAsync(Ct);
            Assert.Equal(name, await ScalarAsync<string>(conn, "SELECT current_database()"));
            Assert.True(await DatabaseExistsAsync(name));
            await Server.DropDatabaseAsync(name, Ct);
        }

        Assert.False(await DatabaseExistsAsync(name));
        await Server.DropDatabaseAsync(name, Ct); // missing: ignored

        var named = await Server.CreateDatabaseAsync("clearway_test_named_" + Guid.NewGuid().ToString("N")[..8], Ct);
        Assert.True(await DatabaseExistsAsync(named));
        await Server.DropDatabaseAsync(named, Ct);
        Assert.False(await DatabaseExistsAsync(named));
    }

    private async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var conn = new NpgsqlConnection(Server.AdminConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", conn);
        cmd.Parameters.AddWithValue(name);
        return (long)(await cmd.ExecuteScalarAsync(Ct))! == 1;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync(Ct))!;
    }
}
