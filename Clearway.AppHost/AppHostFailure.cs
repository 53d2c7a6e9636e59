using System.Globalization;
using System.Text.RegularExpressions;

namespace Clearway.AppHost;

/// <summary>
/// The AppHost's failures as one line and an exit code (<see cref="Failures"/>): its own refusals, and a port of the
/// dashboard, its OTLP receiver or its resource service that another process holds (a second AppHost, usually).
/// Anything else is a fault of ours and keeps its stack trace, printed once by the runtime (appsettings.json keeps the
/// host's own "Hosting failed to start" log, which would print every failure's trace a second time, to Critical).
/// </summary>
internal static partial class AppHostFailure
{
    public static Failure? Of(Exception exception) => exception switch
    {
        IClearwayFailure => Failures.Describe(exception),
        IOException e when AddressInUse().Match(e.Message) is { Success: true } match => PortTaken(match.Groups["url"].Value, int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture)),
        _ => null,
    };

    [GeneratedRegex(@"Failed to bind to address (?<url>\S+?:(?<port>\d+))\S*: address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex AddressInUse();

    private static Failure PortTaken(string url, int port)
    {
        var dashboard = Environment.GetEnvironmentVariable("ASPNETCORE_URLS")?.Split(';')[0] ?? "http://localhost:15000";
        var holder = PortHolder.Describe(port) is { } process ? $"{process} holds it" : "another process holds it";
        return new Failure(ExitCodes.Refused,
            $"{url} is in use: {holder}, most likely another AppHost, whose dashboard is at {dashboard}. " +
            "Fix: use that one, or stop it (Ctrl+C in its terminal) first; or give this one other ports " +
            "(--no-launch-profile with ASPNETCORE_URLS, ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL and ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL).");
    }
}

/// <summary>Which process listens on a local TCP port, from <c>/proc</c> (only processes this account may look into).</summary>
internal static class PortHolder
{
    private static readonly string[] SocketTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    /// <summary>"pid N (command line)", or null when it cannot be told.</summary>
    public static string? Describe(int port)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var inodes = SocketTables
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[3] == "0A" && f[1].EndsWith(":" + port.ToString("X4", CultureInfo.InvariantCulture), StringComparison.Ordinal))
            .Select(f => $"socket:[{f[9]}]")
            .ToHashSet(StringComparer.Ordinal);
        if (inodes.Count == 0)
            return null;
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (!Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")).Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                    continue;
                // On one line whatever it holds (a `python -c` script has newlines).
                var commandLine = string.Join(' ', File.ReadAllText(Path.Combine(process, "cmdline")).Split(['\0', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
                return $"pid {Path.GetFileName(process)} ({commandLine})";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another account's process, or gone: not ours to look into
            }
        }
        return null;
    }
}
