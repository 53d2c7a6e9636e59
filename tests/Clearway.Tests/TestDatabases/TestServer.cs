using System.Net.Http.Json;
using System.Text.Json;
using Clearway.Testing.Xunit;
using Clearway.Tests.Cli;
using Clearway.Tests.Infrastructure;

namespace Clearway.Tests.TestDatabases;

/// <summary>
/// One <c>clearway test-server</c> process on the run's server, shared by a class's tests: short leases and a small pool
/// so running out and reclaiming can be seen in seconds.
/// </summary>
public sealed class TestServerFixture(ClearwayFixture clearway) : IAsyncLifetime
{
    /// <summary>How long a database handed out stays leased: longer than <see cref="ReadyWait"/>, so a full pool stays full while a request waits.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(8);

    public static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(2);

    private WorkerProcess? _server;
    private string? _urlFile;

    /// <summary>The base URL clients take: <c>http://127.0.0.1:PORT/&lt;token&gt;/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(3) };

    public string AdminConnectionString => clearway.Server.AdminConnectionString;

    public async ValueTask InitializeAsync()
    {
        _urlFile = Path.Combine(Directory.CreateTempSubdirectory("clearway-testdbs-").FullName, "url");
        var environment = Cli.Cli.Environment();
        environment["Clearway__TestDatabases__LeaseTime"] = LeaseTime.ToString();
        environment["Clearway__TestDatabases__ReadyWait"] = ReadyWait.ToString();
        environment["Clearway__TestDatabases__FinalizeWait"] = ReadyWait.ToString();
        environment["Clearway__TestDatabases__InitialPoolSize"] = "1";
        environment["Clearway__TestDatabases__MaxPoolSize"] = "2";
        environment["ASPNETCORE_URLS"] = null;
        _server = Cli.Cli.Start(environment, "test-server", "--connection", clearway.Server.AdminConnectionString, "--url-file", _urlFile);
        await _server.WaitForOutputAsync(TestServerVerbMarker, TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
        BaseUrl = new Uri((await File.ReadAllTextAsync(_urlFile, TestContext.Current.CancellationToken)).Trim());
    }

    public const string TestServerVerbMarker = "Ready: test databases at ";

    /// <summary>The service's output so far, for a failing assertion's message.</summary>
    public string Output() => _server?.Output() ?? "";

    public Uri Api(string path) => new(BaseUrl, "api/v1/" + path);

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, Api(path)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_server is not null)
        {
            Cli.Cli.Signal(_server.Id, "TERM");
            await _server.WaitForExitAsync(TimeSpan.FromMinutes(1));
            await _server.DisposeAsync();
        }
        if (_urlFile is not null)
            Directory.Delete(Path.GetDirectoryName(_urlFile)!, recursive: true);
    }
}
