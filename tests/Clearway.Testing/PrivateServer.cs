using Clearway.Postgres;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;

namespace Clearway.Testing;

/// <summary>
/// A server we start from local binaries: its own directory (<c>pgdata/</c>, <c>sock/</c>, <c>server.log</c>,
/// a marker with the password), listening on 127.0.0.1 only, password auth over TCP, durability off.
/// </summary>
internal sealed class PrivateServer
{
    private const string MarkerFile = "clearway-testing.json";
    private const string MarkerKind = "Clearway.Testing private PostgreSQL server";
    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly string _bin;
    private readonly bool _asPostgres;
    private readonly bool _keepData;
    private bool _stopped;
    private string? _watchToken;

    private PrivateServer(string bin, string root, bool keepData)
    {
        _bin = bin;
        Root = root;
        _keepData = keepData;
        _asPostgres = Environment.IsPrivilegedProcess;
    }

    public string Root { get; }
    public string DataDir => Path.Combine(Root, "pgdata");
    public string SocketDir => Path.Combine(Root, "sock");
    public string LogFile => Path.Combine(Root, "server.log");
    public int Port { get; private set; }
    public int? PostmasterPid { get; private set; }
    public string AdminConnectionString { get; private set; } = "";

    public static async Task<PrivateServer> StartAsync(string bin, PostgresServerOptions options, CancellationToken cancellationToken)
    {
        if (options.Port is { } fixedPort && !IsPortFree(fixedPort))
            throw PostgresServerRefusal.Mark(new InvalidOperationException(
                $"Port {fixedPort} on 127.0.0.1 is already in use: choose another port or leave Port unset to get a free one."));

        string root;
        bool fresh;
        if (options.DataDirectory is { } requested)
        {
            root = Path.GetFullPath(requested);
            fresh = !Directory.Exists(root) || !Directory.EnumerateFileSystemEntries(root).Any();
            if (!fresh && !IsOurs(root))
                throw PostgresServerRefusal.Mark(new InvalidOperationException(
                    $"Data directory '{root}' is not a PostgreSQL data directory created by Clearway.Testing: use an empty or missing directory, or one it created before."));
            Directory.CreateDirectory(root);
        }
        else
        {
            root = Directory.CreateTempSubdirectory("clearway-pg-").FullName;
            fresh = true;
        }

        var server = new PrivateServer(bin, root, options.KeepData);
        var started = false;
        try
        {
            await server.StartCoreAsync(fresh, options.Port, cancellationToken).ConfigureAwait(false);
            started = true;
            return server;
        }
        finally
        {
            if (!started)
            {
                // Never leak a half-started server; a fresh dir goes too (KeepData is for data that exists).
                server.Stop(deleteDirectory: fresh || !options.KeepData);
            }
        }
    }

    private async Task StartCoreAsync(bool fresh, int? fixedPort, CancellationToken cancellationToken)
    {
        string password;
        Directory.CreateDirectory(SocketDir);
        if (fresh)
        {
            password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var pwfile = Path.Combine(Root, "pwfile");
            WritePrivateFile(pwfile, password + "\n");
            WritePrivateFile(Path.Combine(Root, MarkerFile), JsonSerializer.Serialize(new Marker(MarkerKind, password), MarkerJson.Default.Marker));
            await ChownAsync(cancellationToken).ConfigureAwait(false);
            var init = await RunAsync("initdb",
                ["-D", DataDir, "-U", "postgres", "--pwfile=" + pwfile, "--encoding=UTF8", "--no-locale",
                 "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "--no-instructions"],
                InitDbTimeout, cancellationToken).ConfigureAwait(false);
            File.Delete(pwfile);
            if (init.ExitCode != 0)
                throw new InvalidOperationException($"initdb failed (exit {init.ExitCode}) in '{DataDir}':{Environment.NewLine}{Tail(init.Output)}");
            File.AppendAllText(Path.Combine(DataDir, "postgresql.conf"), "\ninclude_if_exists = 'clearway.conf'\n");
        }
        else
        {
            password = ReadMarker(Root)!.Password;
            await ChownAsync(cancellationToken).ConfigureAwait(false);
        }

        // A port chosen by us can be taken by someone else before the server binds it: try again with another.
        for (var attempt = 1; ; attempt++)
        {
            Port = fixedPort ?? FreePort();
            WriteConfig();
            var logStart = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
            var start = await RunAsync("pg_ctl",
                ["start", "-D", DataDir, "-l", LogFile, "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "-s"],
                StartTimeout + TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            if (start.ExitCode == 0)
                break;
            var log = ReadLog(logStart);
            if (fixedPort is null && attempt < 3 && log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                continue;
            throw new InvalidOperationException(
                $"PostgreSQL failed to start (pg_ctl exit {start.ExitCode}; {start.Output}). Last lines of {LogFile}:{Environment.NewLine}{Tail(log)}");
        }

        PostmasterPid = ReadPostmasterPid();
        StartWatchdog();
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Password = password,
            Database = "postgres",
        }.ConnectionString;
        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    private void WriteConfig()
    {
        var conf = string.Join('\n',
            "# Written by Clearway.Testing on every start.",
            "listen_addresses = '127.0.0.1'",
            $"port = {Port}",
            $"unix_socket_directories = '{SocketDir.Replace("'", "''", StringComparison.Ordinal)}'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "max_connections = 200",
            "");
        var path = Path.Combine(DataDir, "clearway.conf");
        File.WriteAllText(path, conf);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>pg_ctl -w already waits for "ready"; this proves the TCP + password path, with a bounded retry.</summary>
    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            try
            {
                var conn = new NpgsqlConnection(AdminConnectionString + ";Pooling=false;Timeout=5");
                await using (conn.ConfigureAwait(false))
                    await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                if (deadline.Elapsed >= ReadyTimeout)
                    throw new InvalidOperationException(
                        $"PostgreSQL started but did not accept connections on 127.0.0.1:{Port} within {ReadyTimeout.TotalSeconds:0}s: {ex.Message}. Last lines of {LogFile}:{Environment.NewLine}{Tail(ReadLog(0))}", ex);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
            }
        }
    }

    /// <summary>Stops the server (fast, then kill) and deletes the directory unless KeepData. Safe to call twice.</summary>
    public void Stop() => Stop(deleteDirectory: !_keepData);

    private void Stop(bool deleteDirectory)
    {
        lock (_gate)
        {
            if (_stopped)
                return;
            _stopped = true;
            try
            {
                if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
                {
                    try
                    {
                        ProcessRunner.Run(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDir, "-m", "fast", "-w", "-t", "20", "-s"], _asPostgres, StopTimeout);
                    }
                    catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                        // Fall through to kill.
                    }
                }
                var pid = PostmasterPid ?? ReadPostmasterPid();
                if (pid is { } p && IsPostgres(p))
                {
                    try
                    {
                        using var process = Process.GetProcessById(p);
                        process.Kill();
                        process.WaitForExit(5000);
                    }
                    catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                    }
                }
            }
            finally
            {
                if (_watchToken is not null)
                    TryDelete(() => File.Delete(_watchToken));
                if (deleteDirectory)
                    DeleteDirectory(Root);
            }
        }
    }

    /// <summary>
    /// A detached shell that stops the server and removes the dir if this process dies without disposing
    /// (crash, kill, test host timeout). It exits on its own once dispose removes the token file.
    /// </summary>
    private void StartWatchdog()
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            owner=$1; token=$2; keep=$3; root=$4; data=$5; shift 5
            while kill -0 "$owner" 2>/dev/null && [ -e "$token" ]; do sleep 1; done
            [ -e "$token" ] || exit 0
            "$@" stop -D "$data" -m immediate -w -t 10 -s || true
            pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null) && kill -9 "$pid" 2>/dev/null
            rm -f "$token"
            [ "$keep" = 1 ] || rm -rf "$root"
            """;
        _watchToken = Path.Combine(Root, ".owner-" + Environment.ProcessId + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        try
        {
            File.WriteAllText(_watchToken, "");
            var psi = new ProcessStartInfo("setsid")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            string[] stop = _asPostgres ? ["runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl")] : [Path.Combine(_bin, "pg_ctl")];
            foreach (var a in (string[])["-f", "/bin/sh", "-c", script, "clearway-pg-watchdog",
                         Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), _watchToken, _keepData ? "1" : "0", Root, DataDir, .. stop])
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi);
            process?.WaitForExit(5000);
        }
        catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // Best effort: dispose and ProcessExit still clean up.
        }
    }

    private Task<ProcessRunner.Result> RunAsync(string tool, string[] args, TimeSpan timeout, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Path.Combine(_bin, tool), args, _asPostgres, timeout, cancellationToken);

    private async Task ChownAsync(CancellationToken cancellationToken)
    {
        if (!_asPostgres)
            return;
        var result = await ProcessRunner.RunAsync("chown", ["-R", "postgres:postgres", Root], asPostgres: false, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"Running as root, the server runs as 'postgres', but chown of '{Root}' failed: {result.Output}");
    }

    private int? ReadPostmasterPid()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(DataDir, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("postgres", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string ReadLog(long from)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }

    private static string Tail(string text, int lines = 20) =>
        string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines).Select(l => "  " + l.TrimEnd()));

    private static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private static bool IsOurs(string root) =>
        ReadMarker(root) is { Kind: MarkerKind, Password.Length: > 0 } && File.Exists(Path.Combine(root, "pgdata", "PG_VERSION"));

    private static Marker? ReadMarker(string root)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(root, MarkerFile)), MarkerJson.Default.Marker);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WritePrivateFile(string path, string content)
    {
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, content);
    }

    private static void DeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 5 && Directory.Exists(path); attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A dying backend may still be writing; try again shortly.
                Thread.Sleep(50 * (attempt + 1));
            }
        }
    }

    private static void TryDelete(Action delete)
    {
        try { delete(); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

}

/// <summary>What marks a directory as ours: written at initdb, holds the superuser password for restarts.</summary>
internal sealed record Marker(string Kind, string Password);

[JsonSerializable(typeof(Marker))]
internal sealed partial class MarkerJson : JsonSerializerContext;
