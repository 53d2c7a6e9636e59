using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Clearway.AppHost.Tests;

/// <summary>A second AppHost while the first holds its ports: one line naming who holds them and where its dashboard is, exit 2.</summary>
public sealed class SecondAppHostTests
{
    [Fact]
    public async Task A_port_of_the_AppHost_held_by_another_process_is_one_line_naming_it_and_exit_2()
    {
        // What the first AppHost holds: here this test process holds the resource service's port.
        using var first = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        var held = ((IPEndPoint)first.LocalEndpoint).Port;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot.Path, "Clearway.AppHost"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{held}",
                ["ConnectionStrings__clearway"] = null,
            },
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Clearway.AppHost.dll"), "--Clearway:Postgres:Mode=external",
                     "--ConnectionStrings:clearway=Host=127.0.0.1;Port=1;Database=clearway;Username=postgres;Password=unused",
                 })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        var error = (await stderr).TrimEnd();
        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}{Environment.NewLine}{await stdout}{Environment.NewLine}{error}");
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith($"clearway-apphost: http://127.0.0.1:{held} is in use: pid {Environment.ProcessId} (", error, StringComparison.Ordinal);
        Assert.Contains("whose dashboard is at", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await stdout + error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
