using System.Globalization;
using System.Text;

namespace Clearway.Postgres;

/// <summary>What lives where in a server directory.</summary>
internal sealed record ClusterLayout(string Root)
{
    /// <summary>The longest Unix socket path (sun_path is 108 bytes with its terminating NUL).</summary>
    public const int MaxSocketPathBytes = 107;

    public string DataDirectory => Path.Combine(Root, "pgdata");
    public string SocketDirectory => Path.Combine(Root, "sock");
    public string LogFile => Path.Combine(Root, "server.log");
    public string MarkerFile => Path.Combine(Root, ClusterMarker.FileName);
    public string PasswordInitFile => Path.Combine(Root, "pwfile");
    public string ConfigFile => Path.Combine(DataDirectory, "clearway.conf");
    public string HbaFile => Path.Combine(DataDirectory, "pg_hba.conf");
    public string MainConfigFile => Path.Combine(DataDirectory, "postgresql.conf");
    public string VersionFile => Path.Combine(DataDirectory, "PG_VERSION");

    public string SocketPath(int port) => Path.Combine(SocketDirectory, ".s.PGSQL." + port.ToString(CultureInfo.InvariantCulture));

    public static int ByteLength(string path) => Encoding.UTF8.GetByteCount(path);

    /// <summary>True when nothing is there but what a lock left (a directory that is missing counts as empty).</summary>
    public bool IsEmpty() =>
        !System.IO.Directory.Exists(Root)
        || System.IO.Directory.EnumerateFileSystemEntries(Root).Select(Path.GetFileName).All(n => n is DirectoryLock.FileName or DirectoryLock.OwnerFileName);
}
