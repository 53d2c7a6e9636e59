using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Clearway.Hosting;
using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Tests.Infrastructure;
using Clearway.Tests.Shared;
using Clearway.Tests.Telemetry;

namespace Clearway.Tests.Manager;

/// <summary>The database manager as a process: its bad input is one line and exit 2, and its commands need the AppHost's key.</summary>
public sealed class DatabaseManagerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WorkerProcess Start(string? connectionString, IReadOnlyDictionary<string, string?>? more, params string[] args)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__clearway"] = connectionString,
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = null,
            ["ASPNETCORE_URLS"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["Clearway__CommandKey"] = null,
        };
        foreach (var (name, value) in more ?? new Dictionary<string, string?>())
            environment[name] = value;
        return WorkerProcess.Start(WorkerTelemetryEnvironment.DatabaseManagerDll, args, environment);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=abc;Database=clearway;Username=postgres", "--every", "1h", "the connection string is malformed")]
    [InlineData("Host=127.0.0.1;Username=postgres", "--every", "1h", "the connection string names no Database")]
    [InlineData("Host=127.0.0.1;Database=clearway", "--every", "60d", "longer than the longest allowed, 30d")]
    [InlineData("Host=127.0.0.1;Database=clearway", "--every", "99999999999d", "longer than the longest allowed, 30d")]
    [InlineData("Host=127.0.0.1;Database=clearway", "--every", "", "the refresh interval '' is not a whole number")]
    public async Task Bad_input_exits_2_with_one_line_and_no_stack_trace(string connectionString, string option, string value, string message)
    {
        await using var manager = Start(connectionString, null, option, value);
        var exit = await manager.WaitForExitAsync(Limit, Ct);

        Assert.True(exit == 2, manager.Output());
        var line = Assert.Single(manager.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("clearway-dbmanager: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", manager.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_without_the_AppHosts_key_are_refused_and_with_it_answer()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        await using var manager = Start(db.ConnectionString, new Dictionary<string, string?> { ["Clearway__CommandKey"] = "the-right-key" },
            "--every", "1h", "--urls", url);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        await UntilAnsweringAsync(http, manager);

        using (var none = await http.PostAsync(ManagerApi.RefreshViewsPath, null, Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, ManagerApi.RefreshViewsPath) { Headers = { { ManagerApi.CommandKeyHeader, "a-guess" } } })
        using (var refused = await http.SendAsync(wrong, Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Post, ManagerApi.RefreshViewsPath) { Headers = { { ManagerApi.CommandKeyHeader, "the-right-key" } } };
        using var answered = await http.SendAsync(right, Ct);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("monthly_call_summary", (await answered.Content.ReadFromJsonAsync<CommandReply>(Ct))!.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_statistics_commands_list_a_burst_with_its_calls_and_name_an_index_it_never_touched()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        var url = $"http://127.0.0.1:{FreePort()}";
        await using var manager = Start(db.ConnectionString, new Dictionary<string, string?> { ["Clearway__CommandKey"] = "key" }, "--every", "1h", "--urls", url);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        await UntilAnsweringAsync(http, manager);
        await QueryBurst.RunAsync(db.ConnectionString, Ct);

        var queries = await CommandAsync(http, ManagerApi.QueriesPath + "?top=50");
        Assert.Contains($"{QueryBurst.UserLookups} ", queries.Report.Split('\n').Single(l => l.TrimEnd().EndsWith(QueryBurst.UserLookup, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.StartsWith("Top ", queries.Summary, StringComparison.Ordinal);

        var indexes = await CommandAsync(http, ManagerApi.IndexesPath);
        Assert.Contains($"  {QueryBurst.UntouchedIndex} ", indexes.Report, StringComparison.Ordinal);

        var reset = await CommandAsync(http, ManagerApi.ResetStatisticsPath);
        Assert.Equal($"Reset the statement statistics and the index and table counters of \"{db.Name}\".", reset.Summary);
        Assert.DoesNotContain(QueryBurst.UserLookup, (await CommandAsync(http, ManagerApi.QueriesPath)).Report, StringComparison.Ordinal);

        using var badTop = new HttpRequestMessage(HttpMethod.Post, ManagerApi.QueriesPath + "?top=0") { Headers = { { ManagerApi.CommandKeyHeader, "key" } } };
        using var refused = await http.SendAsync(badTop, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    private static async Task<CommandReply> CommandAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Headers = { { ManagerApi.CommandKeyHeader, "key" } } };
        using var response = await http.SendAsync(request, Ct);
        var reply = await response.Content.ReadFromJsonAsync<CommandReply>(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {reply}");
        return reply!;
    }

    /// <summary>Waits (bounded) until the manager answers its freshness endpoint, which needs no key.</summary>
    private static async Task UntilAnsweringAsync(HttpClient http, WorkerProcess manager)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(ManagerApi.FreshnessPath, Ct);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (manager.HasExited || DateTime.UtcNow > deadline)
                Assert.Fail($"the manager did not answer within {Limit.TotalMinutes} minutes{Environment.NewLine}{manager.Output()}");
            await Task.Delay(100, Ct); // asking again, not a sleep standing in for an event
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
