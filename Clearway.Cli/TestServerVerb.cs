using System.CommandLine;
using System.Globalization;
using Clearway.CommandLine;
using Clearway.Hosting;
using Clearway.Postgres;
using Clearway.TestDatabases;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clearway.Cli;

/// <summary>
/// <c>clearway test-server</c>: a fresh database per test, over HTTP, for any language (IntegreSQL's API), with no Docker:
/// on the server of <c>--connection</c> (or of a running <c>up</c>), else on a throwaway server of its own. It listens on
/// 127.0.0.1 only, behind a secret path, and hands out credentials of a role that is no superuser. The AppHost runs it
/// as the <c>testdbs</c> resource.
/// </summary>
internal static class TestServerVerb
{
    public const string ReadyMarker = "Ready: test databases at ";

    public static Command Create(Func<CliRuntime> runtime)
    {
        var connection = ClearwayOption.Connection();
        connection.Description = "Serve test databases on this server (an administrator's connection string) [default: a running `clearway up`, else a throwaway server of its own]";
        var port = ClearwayOption.Typed("--port", "TCP port on 127.0.0.1 [default: ASPNETCORE_URLS when a host gives one, else a free one]", "P", text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535
                ? p : throw new FormatException($"--port must be a whole number from 1 to 65535 (got '{text}')"));
        var urlFile = ClearwayOption.Text("--url-file", "Also write the base URL (it holds the secret) into this file, owner-only, for a test runner to read", "path");
        var command = new Command("test-server",
            "Serve a fresh database per test over HTTP (IntegreSQL's API v1, for its clients in any language), Clearway's seeded recipes included, until Ctrl+C.")
        {
            connection, port, urlFile,
        };
        command.WithExamples(
            "clearway test-server --url-file /tmp/testdbs-url   # then: INTEGRESQL_URL=$(cat /tmp/testdbs-url) npm test",
            "clearway test-server --connection \"Host=localhost;Username=postgres;Password=...;Database=clearway\"");
        command.SetAction((result, ct) => Commands.Run(runtime, async rt =>
        {
            var given = ConnectionResolver.Explicit(result.GetValue(connection)) ?? await ConnectionResolver.FindUpAsync(rt, ct);
            await using var own = given is null ? await LocalPostgresServer.StartTemporaryAsync(binDirectory: null, ct) : null;
            var server = given ?? own!.ConnectionString(ClearwayConnectionString.Name);
            return await ServeAsync(server, result.GetResult(port) is null ? null : result.GetValue(port), result.GetValue(urlFile), rt, ct);
        }));
        return command;
    }

    private static async Task<int> ServeAsync(string connectionString, int? port, string? urlFile, CliRuntime runtime, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration[$"ConnectionStrings:{ClearwayConnectionString.Name}"] = connectionString;
        var url = port is { } p ? $"http://127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}" : builder.Configuration["ASPNETCORE_URLS"] ?? $"http://127.0.0.1:{Ports.Free()}";
        if (url.Split(';').Any(u => !IsLoopback(u)))
            throw CliException.Refusal($"test-server listens on the loopback address only, not on {url}", "give a port with --port, or an ASPNETCORE_URLS on 127.0.0.1 or localhost");
        builder.WebHost.UseUrls(url.Split(';'));
        builder.AddServiceDefaults();
        builder.Logging.AddWorkerConsole();
        builder.AddClearwayTestDatabases();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        var token = app.MapClearwayTestDatabases();
        await app.StartAsync(ct);
        var baseUrl = $"{url.Split(';')[0].TrimEnd('/')}/{token}/";
        if (urlFile is not null)
            await OwnerOnlyFile.WriteAsync(Path.GetFullPath(urlFile), baseUrl + "\n", ct);
        await Console.Out.WriteLineAsync($"{ReadyMarker}{baseUrl} (the path is the secret). Press Ctrl+C to stop.");
        await Console.Out.FlushAsync(CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C, SIGTERM: the way out.
        }
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        await Console.Out.WriteLineAsync("Stopped; every test database and template of this server was dropped.");
        return ExitCodes.Success;
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && (uri.IsLoopback || uri.Host == "localhost");
}
