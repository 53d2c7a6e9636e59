namespace Clearway.Cli;

/// <summary>Where <c>clearway up</c> keeps its PostgreSQL server between runs.</summary>
internal static class DataDirectory
{
    /// <summary>Overrides the default data directory for every verb (handy for scripts and tests).</summary>
    public const string Variable = "CLEARWAY_DATA_DIR";

    /// <summary>
    /// <c>$CLEARWAY_DATA_DIR</c>, else <c>~/.clearway/postgres</c>; as root <c>/var/lib/clearway/postgres</c>, because the
    /// server then runs as the <c>postgres</c> user, which cannot enter root's home.
    /// </summary>
    public static string Default
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
                return Path.GetFullPath(fromEnvironment);
            if (Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
                return "/var/lib/clearway/postgres";
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".clearway", "postgres");
        }
    }

    public static string Resolve(string? option) => string.IsNullOrWhiteSpace(option) ? Default : Path.GetFullPath(option);

    /// <summary>
    /// As root the server runs as <c>postgres</c>: every existing parent of the directory must let others through
    /// (execute bit), or initdb fails with a confusing permission error. Refuses with the fix instead.
    /// </summary>
    public static void EnsureReachableByServer(string directory)
    {
        if (!Environment.IsPrivilegedProcess || OperatingSystem.IsWindows())
            return;
        for (var parent = Path.GetDirectoryName(directory); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (!Directory.Exists(parent))
                continue;
            var mode = File.GetUnixFileMode(parent);
            if ((mode & UnixFileMode.OtherExecute) == 0)
                throw CliException.Refusal(
                    $"data directory '{directory}' is inside '{parent}', which the 'postgres' user (the server runs as it when you are root) cannot enter.",
                    $"use --data-dir under a directory others can traverse, e.g. /var/lib/clearway/postgres, or chmod o+x '{parent}'");
        }
    }
}
