using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Clearway.Postgres;
using Clearway.Seeding;
using Clearway.TestDatabases;
using Clearway.Testing;
using Clearway.Testing.Databases;

namespace Clearway.Benchmarks;

/// <summary>
/// `testdbs`: a fresh Clearway database per test, two ways, on one throwaway local server: over HTTP from
/// <c>clearway test-server</c> (IntegreSQL's API: GET a test database of <c>clearway-tiny</c>, then recreate it), and in
/// process from the .NET fixture (<see cref="ClearwayDatabaseFactory"/>: create, then dispose), each with 1 and with 8
/// clients at once; latency percentiles beside the figures IntegreSQL published. The template is built by the first
/// request (not timed); what is timed is what every test after it waits for.
/// </summary>
internal static class TestDatabasesBenchmark
{
    /// <summary>Clearway's ready-made tiny recipe (<see cref="ClearwayRecipes"/>): no client migrates or seeds anything.</summary>
    private const string Hash = ClearwayRecipes.Prefix + "tiny";

    /// <summary>The line `clearway test-server` prints once it serves (TestServerVerb.ReadyMarker); the URL itself is read from --url-file.</summary>
    private const string ReadyMarker = "Ready: test databases at ";

    /// <summary>Not measured here: IntegreSQL v1.1.0's own benchmark, a test suite's "switch replica" (a test handed its next database).</summary>
    private const string IntegreSqlSource =
        "github.com/allaboutapps/integresql README, \"Benchmark v1.1.0 vs v1.0.0\": switch replica, 563x q50=0ms q95=1ms";

    private static readonly int[] Clients = [1, 8];

    /// <summary>Untimed round trips before each measured set: JIT and connection pools on both sides.</summary>
    private const int WarmUps = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = 200;
        if (args.Length > 0 && !(args is ["--requests", var text] && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out requests) && requests > 0))
        {
            Console.Error.WriteLine("testdbs: the only option is --requests N (N > 0; default 200 per client count)");
            return ExitCodes.Refused;
        }

        try
        {
            await using var server = await LocalPostgresServer.StartTemporaryAsync();
            var service = new TestDatabaseOptions();
            Console.WriteLine($"Clearway test databases benchmark: {requests} requests per client count ({string.Join(" and ", Clients)} clients at once), " +
                              $"throwaway local server, {Environment.ProcessorCount} cores; test-server pool {service.InitialPoolSize} ready, " +
                              $"{service.MaxPoolSize} at most; fixture pool {new ClearwayDatabaseFactoryOptions().PoolSize} ready");
            var rows = await OverHttpAsync(server.ConnectionString(ClearwayConnectionString.Name), requests);
            rows.AddRange(await InProcessAsync(server.ConnectionString(), requests));
            Print(rows, requests);
            return ExitCodes.Success;
        }
        catch (BenchmarkFailedException e)
        {
            Console.Error.WriteLine($"testdbs: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>What one test waited for: the database handed out, and that plus giving it back.</summary>
    private readonly record struct Sample(double HandedMs, double TotalMs);

    private sealed record Row(string Path, string Operation, int Clients, int Requests, double P50, double P95, double P99)
    {
        public static Row Of(string path, string operation, int clients, List<double> ms) =>
            new(path, operation, clients, ms.Count, Percentiles.Of(ms, 0.50), Percentiles.Of(ms, 0.95), Percentiles.Of(ms, 0.99));
    }

    /// <summary>
    /// `clearway test-server` as a process of its own, as a developer starts it (its connection in ConnectionStrings__clearway),
    /// its base URL (with the secret token) read from --url-file once it says it is ready, as the test suite does; stopped
    /// with SIGTERM when measured.
    /// </summary>
    private static async Task<List<Row>> OverHttpAsync(string connectionString, int requests)
    {
        var folder = Directory.CreateTempSubdirectory("clearway-bench-testdbs-");
        var urlFile = Path.Combine(folder.FullName, "url");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tail = new Queue<string>();
        var clock = Stopwatch.StartNew();
        using var process = Workers.Start(Workers.CliDll, ["test-server", "--url-file", urlFile], connectionString, line =>
        {
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 20) tail.Dequeue();
            }
            if (line.Contains(ReadyMarker, StringComparison.Ordinal)) ready.TrySetResult();
        });
        try
        {
            var exited = process.WaitForExitAsync();
            Task first;
            try
            {
                first = await Task.WhenAny(ready.Task, exited).WaitAsync(TimeSpan.FromMinutes(3));
            }
            catch (TimeoutException)
            {
                throw new BenchmarkFailedException($"clearway test-server was not ready within 3 minutes:{Environment.NewLine}{Tail(tail)}");
            }
            if (first == exited)
                throw new BenchmarkFailedException($"clearway test-server exited ({process.ExitCode}) before it was ready:{Environment.NewLine}{Tail(tail)}");
            var started = clock.Elapsed;
            var baseUrl = new Uri((await File.ReadAllTextAsync(urlFile)).Trim());
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };

            // The first request gets the template from the store (built now: a fresh server) and stocks the pool.
            clock.Restart();
            await RoundTripAsync(http, baseUrl);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  test-server ready in {started.TotalSeconds:N1} s; first GET {clock.Elapsed.TotalSeconds:N1} s ({Hash}'s template built, pool stocked; not counted)"));

            var rows = new List<Row>();
            foreach (var clients in Clients)
            {
                var samples = await MeasureAsync(clients, requests, () => RoundTripAsync(http, baseUrl));
                rows.Add(Row.Of("test-server over HTTP", "GET", clients, samples.ConvertAll(s => s.HandedMs)));
                rows.Add(Row.Of("test-server over HTTP", "GET + recreate", clients, samples.ConvertAll(s => s.TotalMs)));
                Report(rows[^2]);
            }
            return rows;
        }
        finally
        {
            var exit = await Workers.StopAsync(process);
            Console.WriteLine($"  test-server stopped with SIGTERM (exit {exit})");
            folder.Delete(recursive: true);
        }
    }

    /// <summary>One test's use of the service: GET a database (its id from the answer), then give it back to be recreated.</summary>
    private static async Task<Sample> RoundTripAsync(HttpClient http, Uri baseUrl)
    {
        var clock = Stopwatch.StartNew();
        int id;
        using (var get = await http.GetAsync(new Uri(baseUrl, $"api/v1/templates/{Hash}/tests")))
        {
            var body = await get.Content.ReadAsStringAsync();
            if (get.StatusCode != HttpStatusCode.OK)
                throw new BenchmarkFailedException($"GET a test database of {Hash} answered {(int)get.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            id = json.RootElement.GetProperty("id").GetInt32();
        }
        var handed = clock.Elapsed.TotalMilliseconds;
        using (var recreate = await http.PostAsync(new Uri(baseUrl, $"api/v1/templates/{Hash}/tests/{id}/recreate"), content: null))
        {
            if (recreate.StatusCode != HttpStatusCode.NoContent)
                throw new BenchmarkFailedException($"recreate of test database {id} of {Hash} answered {(int)recreate.StatusCode}: {await recreate.Content.ReadAsStringAsync()}");
        }
        return new Sample(handed, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// The .NET fixture on the same server and the same recipe (<c>clearway-tiny</c> is tiny, seed 42, scale 1, as of
    /// <see cref="ClearwayRecipes.PinnedAsOf"/>: the store's template the service used), with the pool tests get by default.
    /// </summary>
    private static async Task<List<Row>> InProcessAsync(string adminConnectionString, int requests)
    {
        // Connected, not started: the throwaway server is this benchmark's, stopped by RunAsync.
        await using var server = await PostgresServer.ConnectAsync(adminConnectionString);
        var options = new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny, AsOf = ClearwayRecipes.PinnedAsOf };
        await using var factory = new ClearwayDatabaseFactory(server);
        var clock = Stopwatch.StartNew();
        await factory.EnsureTemplateAsync(options);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  fixture: template of {Hash}'s recipe ready in {clock.Elapsed.TotalSeconds:N2} s (from the store; not counted)"));

        var rows = new List<Row>();
        foreach (var clients in Clients)
        {
            var samples = await MeasureAsync(clients, requests, () => HandOutAsync(factory, options));
            rows.Add(Row.Of("fixture in process", "create", clients, samples.ConvertAll(s => s.HandedMs)));
            rows.Add(Row.Of("fixture in process", "create + dispose", clients, samples.ConvertAll(s => s.TotalMs)));
            Report(rows[^2]);
        }
        return rows;
    }

    /// <summary>One test's use of the fixture: a database of its own, then dropped when the test is done.</summary>
    private static async Task<Sample> HandOutAsync(ClearwayDatabaseFactory factory, ClearwayDatabaseOptions options)
    {
        var clock = Stopwatch.StartNew();
        var database = await factory.CreateDatabaseAsync(options);
        var handed = clock.Elapsed.TotalMilliseconds;
        await database.DisposeAsync();
        return new Sample(handed, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// <see cref="WarmUps"/> untimed calls, then <paramref name="requests"/> calls in all, shared by
    /// <paramref name="clients"/> callers running at once, each taking the next until none is left.
    /// </summary>
    private static async Task<List<Sample>> MeasureAsync(int clients, int requests, Func<Task<Sample>> call)
    {
        for (var i = 0; i < WarmUps; i++)
            await call();
        var samples = new List<Sample>(requests);
        var taken = 0;
        async Task CallerAsync()
        {
            while (Interlocked.Increment(ref taken) <= requests)
            {
                var sample = await call();
                lock (samples) samples.Add(sample);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(CallerAsync)));
        return samples;
    }

    private static void Report(Row row) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {row.Path}, {row.Operation}, {row.Clients} client(s): p50 {row.P50:N1} ms, p95 {row.P95:N1} ms, p99 {row.P99:N1} ms"));

    private static void Print(List<Row> rows, int requests)
    {
        Console.WriteLine();
        Console.WriteLine($"{"path",-24} {"operation",-18} {"clients",7} {"requests",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8}");
        foreach (var row in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Path,-24} {row.Operation,-18} {row.Clients,7} {row.Requests,8} {row.P50,8:N1} {row.P95,8:N1} {row.P99,8:N1}"));
        // The one row not measured here, as published: a median and a p95, no p99.
        Console.WriteLine($"{"IntegreSQL (published)",-24} {"GET",-18} {"—",7} {"563",8} {"0",8} {"1",8} {"—",8}");
        Console.WriteLine($"  IntegreSQL (published): 0 ms median, 1 ms p95; source: {IntegreSqlSource}");
        Console.WriteLine($"  requests: {requests} per client count, shared by the clients; GET and create are the wait for a database, the rest includes giving it back");
    }

    private static string Tail(Queue<string> tail)
    {
        lock (tail) return string.Join(Environment.NewLine, tail);
    }
}
