using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Clearway.Tests.Infrastructure;
using Npgsql;

namespace Clearway.Tests.TestDatabases;

/// <summary>IntegreSQL's API v1 as <c>clearway test-server</c> serves it: every route, its answers and its failures.</summary>
public sealed class TestServerTests(TestServerFixture server) : IClassFixture<TestServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewHash() => "h" + Guid.NewGuid().ToString("N")[..20];

    [Fact]
    public async Task A_request_without_the_secret_or_with_a_wrong_one_gets_404_and_learns_nothing()
    {
        var origin = new Uri(server.BaseUrl.GetLeftPart(UriPartial.Authority));
        foreach (var path in new[] { "api/v1/templates/clearway-tiny/tests", "not-the-token/api/v1/templates/clearway-tiny/tests", "" })
        {
            using var response = await server.Http.GetAsync(new Uri(origin, path), Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("""{"message":"Not Found"}""", await response.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task A_clients_own_template_goes_from_initialize_to_finalize_to_test_databases_and_is_discarded()
    {
        var hash = NewHash();
        var (status, body) = await server.SendAsync(HttpMethod.Post, "templates", new { hash });
        Assert.Equal(200, status);
        var config = body.GetProperty("database").GetProperty("config");
        Assert.Equal(hash, body.GetProperty("database").GetProperty("templateHash").GetString());
        Assert.Equal("clearway_testdbs", config.GetProperty("username").GetString());
        Assert.Equal((423, "template is already initialized"), await MessageAsync(HttpMethod.Post, "templates", new { hash }));

        // The client migrates its template, as the service's own role: the credentials are not the superuser's.
        await using (var template = new NpgsqlConnection(ConnectionString(config)))
        {
            await template.OpenAsync(Ct);
            await new NpgsqlCommand("CREATE TABLE widgets (id int PRIMARY KEY); INSERT INTO widgets VALUES (1)", template).ExecuteNonQueryAsync(Ct);
            Assert.False((bool)(await new NpgsqlCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", template).ExecuteScalarAsync(Ct))!);
        }
        Assert.Equal((503, "template was not finalized in time"), await MessageAsync(HttpMethod.Get, $"templates/{hash}/tests"));

        Assert.Equal(204, (await server.SendAsync(HttpMethod.Put, $"templates/{hash}")).Status);
        var (got, test) = await server.SendAsync(HttpMethod.Get, $"templates/{hash}/tests");
        Assert.Equal(200, got);
        var id = test.GetProperty("id").GetInt32();
        await using (var connection = new NpgsqlConnection(ConnectionString(test.GetProperty("database").GetProperty("config"))))
        {
            await connection.OpenAsync(Ct);
            Assert.Equal(1L, (long)(await new NpgsqlCommand("SELECT count(*) FROM widgets", connection).ExecuteScalarAsync(Ct))!);
        }

        Assert.Equal(204, (await server.SendAsync(HttpMethod.Post, $"templates/{hash}/tests/{id}/unlock")).Status);
        Assert.Equal(204, (await server.SendAsync(HttpMethod.Post, $"templates/{hash}/tests/{id}/recreate")).Status);
        Assert.Equal(204, (await server.SendAsync(HttpMethod.Delete, $"templates/{hash}/tests/{id}")).Status);
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Post, $"templates/{hash}/tests/99/unlock")).Status);
        Assert.Equal((400, "invalid test database ID"), await MessageAsync(HttpMethod.Post, $"templates/{hash}/tests/x/unlock"));

        Assert.Equal(204, (await server.SendAsync(HttpMethod.Delete, $"templates/{hash}")).Status);
        Assert.Equal((410, "template was just discarded"), await MessageAsync(HttpMethod.Get, $"templates/{hash}/tests"));
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Delete, $"templates/{hash}")).Status);
    }

    [Fact]
    public async Task Unknown_hashes_and_bad_requests_get_IntegreSQLs_answers()
    {
        var hash = NewHash();
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Get, $"templates/{hash}/tests")).Status);
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Put, $"templates/{hash}")).Status);
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Post, $"templates/{hash}/tests/0/unlock")).Status);
        Assert.Equal((400, "hash is required"), await MessageAsync(HttpMethod.Post, "templates", new { hash = "" }));

        using var text = new HttpRequestMessage(HttpMethod.Post, server.Api("templates")) { Content = new StringContent("hash=x") };
        using var unsupported = await server.Http.SendAsync(text, Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
    }

    [Fact]
    public async Task A_Clearway_recipe_is_a_ready_template_whose_databases_hold_the_seed_and_belong_to_the_test_role()
    {
        Assert.Equal((423, "template is already initialized"), await MessageAsync(HttpMethod.Post, "templates", new { hash = "clearway-tiny" }));
        var (status, test) = await server.SendAsync(HttpMethod.Get, "templates/clearway-tiny/tests");
        Assert.True(status == 200, server.Output());

        await using var connection = new NpgsqlConnection(ConnectionString(test.GetProperty("database").GetProperty("config")));
        await connection.OpenAsync(Ct);
        Assert.Equal(24L, (long)(await new NpgsqlCommand("""SELECT count(*) FROM "CapitalCall" """, connection).ExecuteScalarAsync(Ct))!);
        Assert.Equal(1, await new NpgsqlCommand("""UPDATE "Organization" SET name = 'mine' WHERE slug = 'demo-ria'""", connection).ExecuteNonQueryAsync(Ct));
        await connection.CloseAsync();
        Assert.Equal(204, (await server.SendAsync(HttpMethod.Post, $"templates/clearway-tiny/tests/{test.GetProperty("id").GetInt32()}/recreate")).Status);
    }

    [Fact]
    public async Task A_full_pool_answers_503_and_a_lease_a_killed_test_runner_left_is_reclaimed()
    {
        var hash = await FinalizedTemplateAsync();
        var first = await TakeAsync(hash);
        await TakeAsync(hash);

        // Both of the pool's two databases are out: the next request waits ReadyWait, then gives up.
        Assert.Equal((503, "timeout when waiting for ready db"), await MessageAsync(HttpMethod.Get, $"templates/{hash}/tests"));

        // A test runner writes, holds a session and is killed: it never returns its database.
        var config = first.GetProperty("database").GetProperty("config");
        var name = config.GetProperty("database").GetString()!;
        await using (var connection = new NpgsqlConnection(ConnectionString(config)))
        {
            await connection.OpenAsync(Ct);
            await new NpgsqlCommand("INSERT INTO widgets VALUES (2)", connection).ExecuteNonQueryAsync(Ct);
        }
        using var runner = Process.Start(new ProcessStartInfo("psql")
        {
            ArgumentList = { "-X", "-q", "-c", "SELECT pg_sleep(600)" },
            Environment =
            {
                ["PGHOST"] = config.GetProperty("host").GetString(), ["PGPORT"] = config.GetProperty("port").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PGUSER"] = config.GetProperty("username").GetString(), ["PGPASSWORD"] = config.GetProperty("password").GetString(), ["PGDATABASE"] = name,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await ServerActivity.WaitForRowAsync(server.AdminConnectionString, "the killed runner's session", null,
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND position('pg_sleep' in query) > 0", name);
        runner.Kill();
        await runner.WaitForExitAsync(Ct);

        // When its lease runs out the database is dropped (the dead session with it) and made again from the template.
        var before = await OidAsync(name);
        await ServerActivity.WaitForRowAsync(server.AdminConnectionString, $"{name} reclaimed after its lease of {TestServerFixture.LeaseTime.TotalSeconds} s", null,
            "SELECT oid FROM pg_database WHERE datname = $1 AND oid::bigint <> $2", name, (long)before);
        var again = await TakeAsync(hash);
        await using var fresh = new NpgsqlConnection(ConnectionString(again.GetProperty("database").GetProperty("config")));
        await fresh.OpenAsync(Ct);
        Assert.Equal(1L, (long)(await new NpgsqlCommand("SELECT count(*) FROM widgets", fresh).ExecuteScalarAsync(Ct))!);
    }

    private async Task<string> FinalizedTemplateAsync()
    {
        var hash = NewHash();
        var (_, body) = await server.SendAsync(HttpMethod.Post, "templates", new { hash });
        await using (var template = new NpgsqlConnection(ConnectionString(body.GetProperty("database").GetProperty("config"))))
        {
            await template.OpenAsync(Ct);
            await new NpgsqlCommand("CREATE TABLE widgets (id int PRIMARY KEY); INSERT INTO widgets VALUES (1)", template).ExecuteNonQueryAsync(Ct);
        }
        Assert.Equal(204, (await server.SendAsync(HttpMethod.Put, $"templates/{hash}")).Status);
        return hash;
    }

    private async Task<JsonElement> TakeAsync(string hash)
    {
        var (status, body) = await server.SendAsync(HttpMethod.Get, $"templates/{hash}/tests");
        Assert.True(status == 200, $"{status} {body}{Environment.NewLine}{server.Output()}");
        return body;
    }

    private async Task<(int, string?)> MessageAsync(HttpMethod method, string path, object? body = null)
    {
        var (status, json) = await server.SendAsync(method, path, body);
        return (status, json.ValueKind == JsonValueKind.Object ? json.GetProperty("message").GetString() : null);
    }

    private async Task<uint> OidAsync(string database)
    {
        await using var admin = new NpgsqlConnection(server.AdminConnectionString);
        await admin.OpenAsync(Ct);
        return (uint)(await new NpgsqlCommand("SELECT oid FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = database } } }.ExecuteScalarAsync(Ct))!;
    }

    private static string ConnectionString(JsonElement config) => new NpgsqlConnectionStringBuilder
    {
        Host = config.GetProperty("host").GetString(),
        Port = config.GetProperty("port").GetInt32(),
        Username = config.GetProperty("username").GetString(),
        Password = config.GetProperty("password").GetString(),
        Database = config.GetProperty("database").GetString(),
        Pooling = false,
    }.ConnectionString;
}
