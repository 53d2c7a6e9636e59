using System.Diagnostics;
using System.Text;
using Clearway.Postgres;
using Npgsql;

namespace Clearway.Tests.LocalPostgres;

/// <summary>
/// <see cref="PostgresCluster"/> as the AppHost's local mode uses it: prepare a directory, run
/// <see cref="PostgresCluster.ForegroundCommand"/> as a supervisor would (log on stdout/stderr), stop it with a signal;
/// and one owner per directory at a time (issue 12, item 3).
/// </summary>
public sealed class PostgresClusterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "clearway-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_foreground_command_runs_the_server_with_its_log_on_stderr_and_the_password_stays_the_same_across_runs()
    {
        string password;
        using (var cluster = await PostgresCluster.PrepareAsync(new PostgresClusterOptions { Directory = _dir }, Ct))
        {
            Assert.True(cluster.IsNew);
            Assert.Equal(("127.0.0.1", "postgres"), (cluster.Host, cluster.Username));
            password = cluster.Password;
            await RunInForegroundAsync(cluster);
        }

        using var again = PostgresCluster.Prepare(new PostgresClusterOptions { Directory = _dir });
        Assert.False(again.IsNew);
        Assert.Equal(password, again.Password);
        await RunInForegroundAsync(again);
    }

    [Fact]
    public async Task A_directory_has_one_owner_at_a_time_the_lock_names_the_holder_and_goes_with_it()
    {
        using (var owner = await PostgresCluster.PrepareAsync(new PostgresClusterOptions { Directory = _dir }, Ct))
        {
            var refused = await Assert.ThrowsAsync<PostgresStartRefusedException>(() => PostgresCluster.PrepareAsync(new PostgresClusterOptions { Directory = _dir }, Ct));
            Assert.Equal(PostgresRefusal.DirectoryInUse, refused.Reason);
            Assert.Equal($"Data directory '{_dir}' is in use by another process (pid {Environment.ProcessId}): stop that one first, or use another directory.", refused.Message);

            var server = await Assert.ThrowsAsync<PostgresStartRefusedException>(() => LocalPostgresServer.StartAsync(new PostgresClusterOptions { Directory = _dir }, Ct));
            Assert.Equal(PostgresRefusal.DirectoryInUse, server.Reason);
        }

        await using var next = await LocalPostgresServer.StartAsync(new PostgresClusterOptions { Directory = _dir }, Ct);
        Assert.False(next.Cluster.IsNew);
    }

    /// <summary>What Aspire's orchestrator does with the command: start it, read its console, stop it with a signal.</summary>
    private static async Task RunInForegroundAsync(PostgresCluster cluster)
    {
        var command = cluster.ForegroundCommand;
        var psi = new ProcessStartInfo(command.FileName)
        {
            WorkingDirectory = command.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Arguments)
            psi.ArgumentList.Add(a);
        foreach (var (name, value) in command.Environment)
            psi.Environment[name] = value;
        var console = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = new Process { StartInfo = psi };
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
                return;
            lock (console)
                console.AppendLine(e.Data);
            if (e.Data.Contains("database system is ready to accept connections", StringComparison.Ordinal))
                ready.TrySetResult();
        }
        server.OutputDataReceived += OnLine;
        server.ErrorDataReceived += OnLine;
        server.Start();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(ready.Task, server.WaitForExitAsync(Ct)).WaitAsync(TimeSpan.FromMinutes(2), Ct);
            Assert.True(ready.Task.IsCompleted, "no ready line on the console: " + console);

            await using (var connection = new NpgsqlConnection(cluster.ConnectionString()))
            {
                await connection.OpenAsync(Ct);
                await using var command2 = new NpgsqlCommand("SELECT pg_backend_pid() > 0", connection);
                Assert.True((bool)(await command2.ExecuteScalarAsync(Ct))!);
            }
            NpgsqlConnection.ClearAllPools();
            // The process the supervisor holds is the postmaster itself (setpriv execs as root), so its signal reaches the server.
            Assert.Equal(server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First());

            Clearway.Tests.Cli.Cli.Signal(server.Id, "INT");
            await server.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
            Assert.True(server.ExitCode == 0, console.ToString());
            Assert.Contains("database system is shut down", console.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!server.HasExited)
                server.Kill();
        }
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_dir))
                Directory.Delete(_dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
