using System.Globalization;

namespace Clearway.Postgres;

/// <summary>
/// The configuration Clearway owns, written on every start so that a cluster made by an older version is brought in
/// line too: <c>clearway.conf</c> (included from postgresql.conf) and <c>pg_hba.conf</c>, both 0600.
/// </summary>
internal static class ServerConfig
{
    private const string Include = "include_if_exists = 'clearway.conf'";

    public static void Write(ClusterLayout layout, int port, bool durable, int slowQueryMs)
    {
        var lines = new List<string>
        {
            "# Written by Clearway on every start. Settings of your own: ALTER SYSTEM (postgresql.auto.conf).",
            "listen_addresses = '127.0.0.1'",
            "port = " + port.ToString(CultureInfo.InvariantCulture),
            $"unix_socket_directories = '{layout.SocketDirectory.Replace("'", "''", StringComparison.Ordinal)}'",
            // The socket and its directory are the owner's alone; the password is asked for there as over TCP.
            "unix_socket_permissions = 0700",
            "max_connections = 200",
        };
        lines.AddRange(ServerSettings.For(slowQueryMs).Select(s => $"{s.Name} = '{s.Value}'"));
        if (!durable)
        {
            // A throwaway test server: speed over surviving a host crash.
            lines.Add("fsync = off");
            lines.Add("synchronous_commit = off");
            lines.Add("full_page_writes = off");
        }
        OwnerOnly.WriteFile(layout.ConfigFile, string.Join('\n', lines) + "\n");

        OwnerOnly.WriteFile(layout.HbaFile, string.Join('\n',
            "# Written by Clearway on every start: a password (scram-sha-256) for everyone, over the socket as over TCP.",
            "local   all          all                 scram-sha-256",
            "host    all          all   127.0.0.1/32  scram-sha-256",
            "local   replication  all                 scram-sha-256",
            "host    replication  all   127.0.0.1/32  scram-sha-256",
            ""));

        if (!File.ReadLines(layout.MainConfigFile).Any(l => l.Trim() == Include))
            File.AppendAllText(layout.MainConfigFile, "\n" + Include + "\n");
    }
}
