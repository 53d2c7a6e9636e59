using System.Globalization;
using Npgsql;

namespace Clearway.Tests.Cli;

/// <summary>
/// Who can reach the server <c>up</c> starts (issue 12, item 1), and how it keeps its data: only the invoking OS user,
/// with the password, over TCP and the socket alike; owner-only files and socket; durability on for the kept directory.
/// The tests run as root, so "another account" is <c>nobody</c> via runuser.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UpAccessTests : IDisposable
{
    private const string OtherAccount = "nobody";
    // Not created here: `up` creates it, with the modes under test (a missing directory is how a first run starts).
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "clearway-cli-access-" + Guid.NewGuid().ToString("N")[..8]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_invoking_user_with_the_password_reaches_ups_server_its_files_are_owner_only_and_it_is_durable()
    {
        await using var up = Up.Start(_dataDir);
        await up.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
        var connection = new NpgsqlConnectionStringBuilder(Up.Line(up.StandardOutput, "Connection string: "));
        var port = connection.Port.ToString(CultureInfo.InvariantCulture);
        var socketDir = Path.Combine(_dataDir, "sock");
        var psql = Path.Combine(Clearway.Postgres.PostgresBinaries.Locate()!, "psql");

        // Another account cannot reach the socket at all, and over TCP it has no password. (Acting as another account
        // needs root; the suite runs as root, a developer's non-root run checks the rest.)
        if (Environment.IsPrivilegedProcess)
        {
            var otherSocket = await Up.RunAsync(OtherAccount, psql, "-w", "-h", socketDir, "-p", port, "-U", "postgres", "-d", "postgres", "-Atc", "SELECT 1");
            Assert.True(otherSocket.ExitCode != 0, "another OS account connected through the socket: " + otherSocket.Output);
            Assert.Contains("Permission denied", otherSocket.Output, StringComparison.Ordinal);
            var otherTcp = await Up.RunAsync(OtherAccount, psql, "-w", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres", "-Atc", "SELECT 1");
            Assert.True(otherTcp.ExitCode != 0, "another OS account connected over TCP without a password: " + otherTcp.Output);
        }

        // The socket asks for the password as TCP does: without it, refused; with it, in.
        var noPassword = await Up.RunAsync(null, psql, "-w", "-h", socketDir, "-p", port, "-U", "postgres", "-d", "postgres", "-Atc", "SELECT 1");
        Assert.True(noPassword.ExitCode != 0, "a socket connection without a password was let in: " + noPassword.Output);
        Assert.Contains("password", noPassword.Output, StringComparison.OrdinalIgnoreCase);
        var withPassword = await Up.RunAsync(null, psql, $"host={socketDir} port={port} user=postgres dbname=postgres password={connection.Password}", "-Atc", "SELECT 1");
        Assert.True(withPassword.ExitCode == 0, withPassword.Output);
        Assert.Equal("1", withPassword.Output.Trim());

        // Nothing under the data directory grants anything to group or others: directories, files, the socket.
        var open = Directory.EnumerateFileSystemEntries(_dataDir, "*", SearchOption.AllDirectories).Prepend(_dataDir)
            .Select(path => (path, mode: File.GetUnixFileMode(path)))
            .Where(e => (e.mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
            .Select(e => $"{e.path} ({Convert.ToString((int)e.mode, 8)})")
            .ToList();
        Assert.True(open.Count == 0, "not owner-only: " + string.Join(", ", open));

        // The kept directory is durable: a host crash must not corrupt it.
        await using (var db = new NpgsqlConnection(connection.ConnectionString))
        {
            await db.OpenAsync(Ct);
            foreach (var setting in new[] { "fsync", "synchronous_commit", "full_page_writes" })
            {
                await using var show = new NpgsqlCommand($"SHOW {setting}", db);
                Assert.Equal((setting, "on"), (setting, (string?)await show.ExecuteScalarAsync(Ct)));
            }
            await using var hba = new NpgsqlCommand("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method NOT IN ('scram-sha-256')", db);
            Assert.Equal(0L, (long)(await hba.ExecuteScalarAsync(Ct))!);
        }
        NpgsqlConnection.ClearAllPools();

        Cli.Signal(up.Id, "TERM");
        Assert.True(await up.WaitForExitAsync(Up.StopLimit, Ct) == 0, up.Output());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
