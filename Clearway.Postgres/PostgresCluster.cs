using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace Clearway.Postgres;

/// <summary>
/// A PostgreSQL cluster directory made ready to run: initialised on first use (initdb), configured (127.0.0.1 only,
/// password authentication over the socket and TCP alike, owner-only socket and files), with a generated password
/// kept in an owner-only file so every run uses the same one. While this object lives the directory is this
/// process's alone (an OS lock the kernel releases if the process dies): dispose it, or exit, to hand it on.
/// <para>
/// <see cref="ForegroundCommand"/> runs the server in the foreground with its log on stdout and stderr, for a host
/// that supervises processes itself (Aspire's orchestrator); <see cref="LocalPostgresServer"/> runs it for you.
/// </para>
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromMinutes(3);

    private readonly DirectoryLock _lock;

    private PostgresCluster(ClusterLayout layout, string binDirectory, int port, bool portChosenByCaller, string password, bool durable, int slowQueryMs, bool isNew, DirectoryLock directoryLock)
    {
        SlowQueryMs = slowQueryMs;
        Layout = layout;
        BinDirectory = binDirectory;
        Port = port;
        PortChosenByCaller = portChosenByCaller;
        Password = password;
        Durable = durable;
        IsNew = isNew;
        _lock = directoryLock;
    }

    /// <summary>The server's directory: <c>pgdata/</c> (the cluster), <c>sock/</c>, <c>server.log</c>, the password file, the lock.</summary>
    public string Directory => Layout.Root;

    /// <summary>The cluster itself (<c>postgres -D</c>).</summary>
    public string DataDirectory => Layout.DataDirectory;

    /// <summary>Where the Unix socket is (mode 0700, as is the socket).</summary>
    public string SocketDirectory => Layout.SocketDirectory;

    /// <summary>Where initdb and postgres (and usually psql and pg_dump) are.</summary>
    public string BinDirectory { get; }

    /// <summary>Always the loopback address: the server listens nowhere else.</summary>
    [SuppressMessage("Performance", "CA1822", Justification = "Read off a cluster like its port and password: an endpoint's fields, not a global.")]
    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    [SuppressMessage("Performance", "CA1822", Justification = "As Host: one of the endpoint's fields.")]
    public string Username => "postgres";

    /// <summary>The superuser's password, generated at initdb and the same on every run of this directory.</summary>
    public string Password { get; }

    /// <summary>False for a throwaway cluster running with fsync, synchronous_commit and full_page_writes off.</summary>
    public bool Durable { get; }

    /// <summary>Statements slower than this (ms) have their plan in the server's log; -1: off.</summary>
    public int SlowQueryMs { get; }

    /// <summary>True when this call ran initdb (the directory was missing or empty).</summary>
    public bool IsNew { get; }

    /// <summary>
    /// The server in the foreground: its log on stdout/stderr, stopped by a signal (SIGINT: fast shutdown, SIGTERM:
    /// smart shutdown, which waits for clients to disconnect). As root it runs as the <c>postgres</c> account through
    /// setpriv, which execs, so the process started is the postmaster itself.
    /// </summary>
    public PostgresCommand ForegroundCommand
    {
        get
        {
            var (fileName, arguments) = ServerAccount.Command(Path.Combine(BinDirectory, "postgres"), ["-D", DataDirectory]);
            // English server messages whatever the caller's locale: failures are explained from them.
            return new PostgresCommand(fileName, arguments, new Dictionary<string, string> { ["LC_ALL"] = "C" }, Directory);
        }
    }

    internal ClusterLayout Layout { get; }

    internal bool PortChosenByCaller { get; }

    /// <summary>A superuser connection string (TCP, password) to <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = Username,
            Password = Password,
            Database = database,
        }.ConnectionString;
    }

    /// <summary>Prepares the directory <paramref name="options"/> name; see <see cref="PrepareAsync"/>.</summary>
    public static PostgresCluster Prepare(PostgresClusterOptions options) =>
        Task.Run(() => PrepareAsync(options)).GetAwaiter().GetResult();

    /// <summary>
    /// Checks the request (refusing bad input before touching anything), takes the directory's lock, runs initdb if
    /// the directory is new, and writes the configuration Clearway owns. Throws
    /// <see cref="PostgresStartRefusedException"/> or <see cref="PostgresStartFailedException"/>.
    /// </summary>
    public static async Task<PostgresCluster> PrepareAsync(PostgresClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Directory))
            throw Refused(PostgresRefusal.EmptyValue, "The data directory is empty: give a directory, or leave it unset for the default.");
        if (options.BinDirectory is { } given && string.IsNullOrWhiteSpace(given))
            throw Refused(PostgresRefusal.EmptyValue, "The PostgreSQL bin directory is empty: give one, or leave it unset to find the binaries.");

        var layout = new ClusterLayout(Path.GetFullPath(options.Directory));
        CheckDirectory(layout);
        var port = ChoosePort(options.Port);
        CheckSocketPath(layout, port);
        var bin = options.BinDirectory is { } dir ? Path.GetFullPath(dir) : PostgresBinaries.Locate();
        if (bin is null || !PostgresBinaries.HasServerBinaries(bin))
            throw new PostgresStartFailedException(PostgresBinaries.MissingMessage(bin) + ".");

        var createdRoot = !System.IO.Directory.Exists(layout.Root);
        OwnerOnly.Directory(layout.Root);
        var directoryLock = DirectoryLock.Acquire(layout.Root);
        var fresh = false;
        try
        {
            // Look again now that the directory is ours: someone may have initialised it since the check above.
            var marker = ClusterMarker.Read(layout);
            if (marker is null && !layout.IsEmpty())
                throw NotOurs(layout);
            fresh = marker is null || !File.Exists(layout.VersionFile);
            string password;
            if (fresh)
            {
                // An empty directory, or one whose initdb never finished (the marker is written first): start over.
                password = marker?.Password ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                await InitDbAsync(layout, bin, password, options.Durable, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                password = marker!.Password;
                marker.Write(layout); // brings a former marker name along
            }

            ServerConfig.Write(layout, port, options.Durable, options.SlowQueryMs);
            OwnerOnly.Directory(layout.SocketDirectory);
            OwnerOnly.Directory(layout.DataDirectory);
            OwnerOnly.Directory(layout.Root);
            await ServerAccount.ChownAsync(layout.Root, cancellationToken).ConfigureAwait(false);
            return new PostgresCluster(layout, bin, port, options.Port is not null, password, options.Durable, options.SlowQueryMs, fresh, directoryLock);
        }
        catch
        {
            if (fresh)
                RemoveWhatInitLeft(layout, createdRoot);
            directoryLock.Dispose();
            if (createdRoot)
                TryDeleteEmptyDirectory(layout.Root);
            throw;
        }
    }

    /// <summary>Moves the server to another port (rewrites the configuration); for a retry when a free port was taken meanwhile.</summary>
    internal async Task UsePortAsync(int port, CancellationToken cancellationToken)
    {
        CheckSocketPath(Layout, port);
        ServerConfig.Write(Layout, port, Durable, SlowQueryMs);
        await ServerAccount.ChownAsync(Layout.ConfigFile, cancellationToken).ConfigureAwait(false);
        Port = port;
    }

    /// <summary>Releases the directory's lock (the cluster and its data stay).</summary>
    public void Dispose() => _lock.Dispose();

    private static void CheckDirectory(ClusterLayout layout)
    {
        if (File.Exists(layout.Root))
            throw Refused(PostgresRefusal.DirectoryIsAFile,
                $"Data directory '{layout.Root}' is a file: use a directory (missing, empty, or created by Clearway before).");
        // With a lock file there, an owner may be initialising it right now (marker not yet written): the lock decides,
        // and the same check is made again under it. Without one, a foreign directory is refused untouched.
        if (!layout.IsEmpty() && ClusterMarker.Read(layout) is null && !File.Exists(Path.Combine(layout.Root, DirectoryLock.FileName)))
            throw NotOurs(layout);
        if (!ServerAccount.IsPostgresAccount || OperatingSystem.IsWindows())
            return;
        // As root the server runs as postgres, which must be able to pass through every parent to reach its files.
        for (var parent = Path.GetDirectoryName(layout.Root); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (System.IO.Directory.Exists(parent) && (File.GetUnixFileMode(parent) & UnixFileMode.OtherExecute) == 0)
                throw Refused(PostgresRefusal.DirectoryNotReachable,
                    $"Data directory '{layout.Root}' is inside '{parent}', which the '{ServerAccount.PostgresAccount}' account (the server runs as it when you are root) cannot enter: " +
                    $"use a directory under one others can pass through (e.g. {Path.Combine(ClearwayDataFolder.Default, "postgres")}), or chmod o+x '{parent}'.");
        }
    }

    private static int ChoosePort(int? requested)
    {
        if (requested is not { } port)
            return Ports.Free();
        if (port is < 1 or > 65535)
            throw Refused(PostgresRefusal.PortOutOfRange, $"Port {port.ToString(CultureInfo.InvariantCulture)} is not a TCP port: choose one from 1024 to 65535, or leave the port unset to get a free one.");
        var unprivileged = Ports.UnprivilegedStart();
        if (port < unprivileged)
            throw Refused(PostgresRefusal.PrivilegedPort,
                $"Port {port.ToString(CultureInfo.InvariantCulture)} is privileged (below {unprivileged.ToString(CultureInfo.InvariantCulture)}, net.ipv4.ip_unprivileged_port_start): " +
                $"the server never runs as root and cannot bind it; choose a port from {unprivileged.ToString(CultureInfo.InvariantCulture)} to 65535.");
        if (!Ports.IsFree(port))
            throw Refused(PostgresRefusal.PortInUse, $"Port {port.ToString(CultureInfo.InvariantCulture)} on 127.0.0.1 is already in use: choose another port or leave Port unset to get a free one.");
        return port;
    }

    private static void CheckSocketPath(ClusterLayout layout, int port)
    {
        var socket = layout.SocketPath(port);
        var bytes = ClusterLayout.ByteLength(socket);
        if (bytes > ClusterLayout.MaxSocketPathBytes)
            throw Refused(PostgresRefusal.SocketPathTooLong,
                $"The server's socket '{socket}' would be {bytes.ToString(CultureInfo.InvariantCulture)} bytes long, over the {ClusterLayout.MaxSocketPathBytes.ToString(CultureInfo.InvariantCulture)} bytes " +
                "Unix sockets allow: use a data directory with a shorter path.");
    }

    private static async Task InitDbAsync(ClusterLayout layout, string bin, string password, bool durable, CancellationToken cancellationToken)
    {
        if (System.IO.Directory.Exists(layout.DataDirectory))
            System.IO.Directory.Delete(layout.DataDirectory, recursive: true);
        ClusterMarker.New(password).Write(layout);
        OwnerOnly.WriteFile(layout.PasswordInitFile, password + "\n");
        try
        {
            await ServerAccount.ChownAsync(layout.Root, cancellationToken).ConfigureAwait(false);
            string[] arguments =
            [
                "-D", layout.DataDirectory, "-U", "postgres", "--pwfile=" + layout.PasswordInitFile, "--encoding=UTF8", "--no-locale",
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--no-instructions", .. durable ? Array.Empty<string>() : ["--no-sync"],
            ];
            var (fileName, wrapped) = ServerAccount.Command(Path.Combine(bin, "initdb"), arguments);
            var init = await ProcessRunner.RunAsync(new PostgresCommand(fileName, wrapped, new Dictionary<string, string> { ["LC_ALL"] = "C" }, layout.Root),
                InitDbTimeout, cancellationToken).ConfigureAwait(false);
            if (init.ExitCode != 0)
                throw new PostgresStartFailedException($"initdb failed (exit {init.ExitCode.ToString(CultureInfo.InvariantCulture)}) in '{layout.DataDirectory}': {ServerLog.Sentence(ServerLog.Reason(init.Output))}");
        }
        catch (TimeoutException e)
        {
            throw new PostgresStartFailedException($"initdb did not finish in '{layout.DataDirectory}': {e.Message}", innerException: e);
        }
        finally
        {
            File.Delete(layout.PasswordInitFile);
        }
    }

    /// <summary>After a failed first start: the directory goes back to as it was (empty, or missing), so the next try starts clean.</summary>
    private static void RemoveWhatInitLeft(ClusterLayout layout, bool createdRoot)
    {
        try
        {
            if (System.IO.Directory.Exists(layout.DataDirectory))
                System.IO.Directory.Delete(layout.DataDirectory, recursive: true);
            if (System.IO.Directory.Exists(layout.SocketDirectory))
                System.IO.Directory.Delete(layout.SocketDirectory, recursive: true);
            foreach (var file in new[] { layout.MarkerFile, layout.PasswordInitFile, layout.LogFile })
                File.Delete(file);
            if (createdRoot)
                File.Delete(Path.Combine(layout.Root, DirectoryLock.FileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the marker is gone or the next start re-runs initdb anyway.
        }
    }

    private static void TryDeleteEmptyDirectory(string path)
    {
        try
        {
            if (!System.IO.Directory.EnumerateFileSystemEntries(path).Any())
                System.IO.Directory.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static PostgresStartRefusedException NotOurs(ClusterLayout layout) =>
        Refused(PostgresRefusal.DirectoryNotOurs,
            $"Data directory '{layout.Root}' is not a PostgreSQL data directory created by Clearway: use an empty or missing directory, or one Clearway created before.");

    private static PostgresStartRefusedException Refused(PostgresRefusal reason, string message) => new(reason, message);
}
