using System.Globalization;
using Clearway.Postgres;
using Clearway.Tests.Cli;

namespace Clearway.Tests.LocalPostgres;

/// <summary>
/// Issue 12, item 1, for every server Clearway.Postgres starts (the fixture's throwaway ones as <c>up</c>'s kept ones):
/// only the invoking OS user, with the password, gets in; nothing in its directory is open to group or others.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServerAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_temporary_server_lets_in_only_its_owner_with_the_password_and_keeps_its_files_owner_only()
    {
        await using var server = await LocalPostgresServer.StartTemporaryAsync(cancellationToken: Ct);
        var cluster = server.Cluster;
        var port = cluster.Port.ToString(CultureInfo.InvariantCulture);
        var psql = Path.Combine(cluster.BinDirectory, "psql");

        if (Environment.IsPrivilegedProcess)
        {
            var other = await Up.RunAsync("nobody", psql, "-w", "-h", cluster.SocketDirectory, "-p", port, "-U", "postgres", "-d", "postgres", "-Atc", "SELECT 1");
            Assert.True(other.ExitCode != 0, "another OS account connected through the socket: " + other.Output);
        }
        var noPassword = await Up.RunAsync(null, psql, "-w", "-h", cluster.SocketDirectory, "-p", port, "-U", "postgres", "-d", "postgres", "-Atc", "SELECT 1");
        Assert.True(noPassword.ExitCode != 0, "a socket connection without a password was let in: " + noPassword.Output);
        Assert.Contains("no password supplied", noPassword.Output, StringComparison.Ordinal);
        var withPassword = await Up.RunAsync(null, psql, $"host={cluster.SocketDirectory} port={port} user=postgres dbname=postgres password={cluster.Password}", "-Atc", "SELECT 1");
        Assert.True(withPassword.ExitCode == 0, withPassword.Output);

        const UnixFileMode groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var open = Directory.EnumerateFileSystemEntries(cluster.Directory, "*", SearchOption.AllDirectories).Prepend(cluster.Directory)
            .Where(path => (File.GetUnixFileMode(path) & groupOrOther) != 0)
            .ToList();
        Assert.True(open.Count == 0, "not owner-only: " + string.Join(", ", open));
        Assert.True(File.Exists(cluster.Layout.SocketPath(cluster.Port)));
    }
}
