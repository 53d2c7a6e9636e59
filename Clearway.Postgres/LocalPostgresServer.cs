using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Clearway.Postgres;

/// <summary>
/// A PostgreSQL server this process started from the local binaries, owns, and stops: on a kept directory
/// (<see cref="StartAsync"/>: <c>clearway up</c>) or a throwaway one (<see cref="StartTemporaryAsync"/>: the test
/// fixture). It listens on 127.0.0.1 only, asks everyone for the password, logs to <c>server.log</c>, and is stopped
/// on dispose, at process exit, or by a watchdog if this process dies first. Nothing but the process it spawned is
/// ever signalled.
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<LocalPostgresServer, byte> Live = new();

    private readonly Lock _gate = new();
    private readonly PostmasterProcess _postmaster;
    private readonly Watchdog? _watchdog;
    private readonly bool _temporary;
    private bool _stopped;

    static LocalPostgresServer()
    {
        // For hosts that exit without disposing (the watchdog covers crashes and kills).
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Live.Keys)
                server.Stop();
        };
    }

    private LocalPostgresServer(PostgresCluster cluster, PostmasterProcess postmaster, bool temporary)
    {
        Cluster = cluster;
        _postmaster = postmaster;
        _temporary = temporary;
        _watchdog = Watchdog.Start(postmaster, cluster.Directory, temporary ? cluster.Directory : null);
        Live[this] = 0;
    }

    /// <summary>The directory, port and password of this server.</summary>
    public PostgresCluster Cluster { get; }

    /// <summary>The postmaster's process id (the process this object spawned).</summary>
    public int ProcessId => _postmaster.Id;

    /// <summary>The server's log.</summary>
    public string LogFile => Cluster.Layout.LogFile;

    /// <summary>True for a throwaway server whose directory goes when it stops.</summary>
    public bool IsTemporary => _temporary;

    /// <summary>A superuser connection string (TCP, password) to <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres") => Cluster.ConnectionString(database);

    /// <summary>
    /// Starts the server of the directory <paramref name="options"/> name (prepared as <see cref="PostgresCluster.PrepareAsync"/>
    /// does) and waits until it accepts a password login over TCP. The directory is kept when the server stops.
    /// </summary>
    public static Task<LocalPostgresServer> StartAsync(PostgresClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return StartCoreAsync(options, temporary: false, cancellationToken);
    }

    /// <summary>
    /// A throwaway server for tests: a new directory under the temp directory, durability off (fsync,
    /// synchronous_commit, full_page_writes), a free port; the directory is deleted when the server stops.
    /// </summary>
    public static Task<LocalPostgresServer> StartTemporaryAsync(string? binDirectory = null, CancellationToken cancellationToken = default)
    {
        var root = Directory.CreateTempSubdirectory("clearway-pg-").FullName;
        return StartCoreAsync(new PostgresClusterOptions { Directory = root, Durable = false, BinDirectory = binDirectory }, temporary: true, cancellationToken);
    }

    private static async Task<LocalPostgresServer> StartCoreAsync(PostgresClusterOptions options, bool temporary, CancellationToken cancellationToken)
    {
        PostgresCluster cluster;
        try
        {
            cluster = await PostgresCluster.PrepareAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch when (temporary)
        {
            DeleteDirectory(options.Directory);
            throw;
        }

        try
        {
            // A free port chosen by us can be taken by someone else before the server binds it: then try another.
            for (var attempt = 1; ; attempt++)
            {
                var logStart = ServerLog.Length(cluster.Layout.LogFile);
                var postmaster = PostmasterProcess.Start(cluster.ForegroundCommand, cluster.Layout.LogFile);
                bool ready;
                try
                {
                    ready = await WaitUntilReadyAsync(postmaster, cluster, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    postmaster.Stop(StopTimeout);
                    postmaster.Dispose();
                    throw;
                }
                if (ready)
                    return new LocalPostgresServer(cluster, postmaster, temporary);

                var log = ServerLog.Read(cluster.Layout.LogFile, logStart);
                var exited = postmaster.HasExited;
                var exitCode = exited ? postmaster.ExitCode : (int?)null;
                postmaster.Stop(StopTimeout);
                postmaster.Dispose();
                if (exited && !cluster.PortChosenByCaller && attempt < 3 && log.Contains("could not bind", StringComparison.Ordinal))
                {
                    await cluster.UsePortAsync(Ports.Free(), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var what = exitCode is { } code
                    ? $"PostgreSQL failed to start (exit {code.ToString(CultureInfo.InvariantCulture)})"
                    : $"PostgreSQL did not accept connections on 127.0.0.1:{cluster.Port.ToString(CultureInfo.InvariantCulture)} within {ReadyTimeout.TotalSeconds:0} s";
                throw new PostgresStartFailedException($"{what}: {ServerLog.Sentence(ServerLog.Reason(log))} Server log: {cluster.Layout.LogFile}.", cluster.Layout.LogFile);
            }
        }
        catch
        {
            cluster.Dispose();
            if (temporary)
                DeleteDirectory(cluster.Directory);
            throw;
        }
    }

    /// <summary>
    /// True once the server takes a password login over TCP (and its postmaster.pid names the process we spawned);
    /// false when that process exited first or the time ran out.
    /// </summary>
    private static async Task<bool> WaitUntilReadyAsync(PostmasterProcess postmaster, PostgresCluster cluster, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        var probe = new NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Pooling = false, Timeout = 5 }.ConnectionString;
        using var exited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exit = postmaster.WaitForExitAsync(exited.Token);
        try
        {
            while (deadline.Elapsed < ReadyTimeout && !postmaster.HasExited)
            {
                try
                {
                    var connection = new NpgsqlConnection(probe);
                    await using (connection.ConfigureAwait(false))
                        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    if (!PidFileNames(cluster, postmaster.Id))
                        throw new PostgresStartFailedException(
                            $"The server answering on 127.0.0.1:{cluster.Port.ToString(CultureInfo.InvariantCulture)} is not the process started ({postmaster.Id.ToString(CultureInfo.InvariantCulture)}): " +
                            $"{Path.Combine(cluster.DataDirectory, "postmaster.pid")} names another. Server log: {cluster.Layout.LogFile}.", cluster.Layout.LogFile);
                    return true;
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // Not listening yet, or still starting up (57P03): wait a little, or for the process to exit.
                    await Task.WhenAny(exit, Task.Delay(delay, cancellationToken)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
                }
            }
            return false;
        }
        finally
        {
            await exited.CancelAsync().ConfigureAwait(false);
            try
            {
                await exit.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>The server that answered is the one we spawned, not another that happened to be there.</summary>
    private static bool PidFileNames(PostgresCluster cluster, int pid)
    {
        try
        {
            return File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).FirstOrDefault()?.Trim() == pid.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Stops the server (fast shutdown), releases the directory, and deletes it if it is temporary. Safe to call twice.</summary>
    public async ValueTask DisposeAsync() => await Task.Run(Stop).ConfigureAwait(false);

    private void Stop()
    {
        lock (_gate)
        {
            if (_stopped)
                return;
            _stopped = true;
            try
            {
                _postmaster.Stop(StopTimeout);
            }
            finally
            {
                _postmaster.Dispose();
                _watchdog?.Disarm();
                Cluster.Dispose();
                if (_temporary)
                    DeleteDirectory(Cluster.Directory);
                Live.TryRemove(this, out _);
            }
        }
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
                // A backend of the stopped server may still be finishing a write: try again shortly.
                Thread.Sleep(50 * (attempt + 1));
            }
        }
    }
}
