using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Clearway.Postgres;

/// <summary>
/// Stops a server whose owner died without stopping it (crash, SIGKILL, a test host killed on timeout): a detached
/// shell that polls the owner and, once it is gone, signals exactly the postmaster it was given (same pid, same start
/// time, checked before each signal) and nothing else. Disarmed by deleting its token file.
/// </summary>
internal sealed class Watchdog
{
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        owner=$1; owner_start=$2; server=$3; server_start=$4; token=$5; remove=$6
        # Running (not a zombie) and started at the given time: that very process, not a later one with its pid.
        same() { want=$2; stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; set -- ${stat##*) }; [ "$1" != Z ] && [ "${20}" = "$want" ]; }
        while same "$owner" "$owner_start" && [ -e "$token" ]; do sleep 1; done
        [ -e "$token" ] || exit 0
        same "$server" "$server_start" && kill -QUIT "$server"
        i=0; while same "$server" "$server_start" && [ $i -lt 40 ]; do sleep 0.25; i=$((i+1)); done
        same "$server" "$server_start" && kill -KILL "$server"
        rm -f "$token"
        [ -z "$remove" ] || rm -rf "$remove"
        """;

    private readonly string _token;

    private Watchdog(string token) => _token = token;

    /// <summary>Arms a watchdog for <paramref name="server"/>; null when it could not be started (dispose and ProcessExit still stop the server).</summary>
    public static Watchdog? Start(PostmasterProcess server, string tokenDirectory, string? removeOnOwnerDeath)
    {
        if (ProcStat.StartTime(Environment.ProcessId) is not { } ownerStart || server.StartTime is not { } serverStart)
            return null;
        var token = Path.Combine(tokenDirectory, ".watchdog-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        try
        {
            OwnerOnly.WriteFile(token, "");
            var psi = new ProcessStartInfo(PostgresBinaries.FindOnPath("setsid") ?? "setsid")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = "/",
            };
            foreach (var a in (string[])["-f", "/bin/sh", "-c", Script, "clearway-pg-watchdog",
                         Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ownerStart.ToString(CultureInfo.InvariantCulture),
                         server.Id.ToString(CultureInfo.InvariantCulture), serverStart.ToString(CultureInfo.InvariantCulture), token, removeOnOwnerDeath ?? ""])
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi);
            process?.WaitForExit(TimeSpan.FromSeconds(10));
            return new Watchdog(token);
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Disarm()
    {
        try
        {
            File.Delete(_token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the watchdog then stops a server that is already stopped: nothing
        }
    }
}
