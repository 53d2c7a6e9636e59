using System.Globalization;

namespace Clearway.Postgres;

/// <summary>
/// Where the PostgreSQL programs are: the server binaries (<c>initdb</c> with <c>postgres</c> on PATH, else the highest
/// /usr/lib/postgresql/*/bin) and any other tool (<c>psql</c>, <c>pg_dump</c>) on PATH.
/// </summary>
public static class PostgresBinaries
{
    /// <summary>Where Debian and Ubuntu install each major's binaries (<c>/usr/lib/postgresql/&lt;major&gt;/bin</c>).</summary>
    public const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>The directory holding <c>initdb</c> and <c>postgres</c>, or null when there is none.</summary>
    public static string? Locate() =>
        Locate(Environment.GetEnvironmentVariable("PATH"), DebianRoot);

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? FindOnPath(string tool) => SearchPath(Environment.GetEnvironmentVariable("PATH"))
        .Select(dir => Path.Combine(dir, tool))
        .FirstOrDefault(File.Exists);

    private static string[] SearchPath(string? path) =>
        (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static string? Locate(string? path, string debianRoot)
    {
        foreach (var dir in SearchPath(path))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb))
                continue;
            // /usr/local/bin/initdb is often a symlink into the real bin dir, which also has psql and pg_dump.
            var resolvedDir = Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb);
            if (resolvedDir is not null && HasServerBinaries(resolvedDir))
                return resolvedDir;
            if (HasServerBinaries(dir))
                return dir;
        }

        if (!Directory.Exists(debianRoot))
            return null;
        return Directory.EnumerateDirectories(debianRoot)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
            .Where(x => x.Version is not null && HasServerBinaries(x.Dir))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    /// <summary>True when <paramref name="dir"/> holds the server binaries a local server needs.</summary>
    public static bool HasServerBinaries(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres"));

    /// <summary>Says the server binaries are missing (from <paramref name="binDirectory"/>, or from everywhere looked) and how to get them.</summary>
    public static string MissingMessage(string? binDirectory) =>
        "PostgreSQL server binaries (initdb, postgres) were not found " +
        (binDirectory is null ? "on PATH or under " + DebianRoot + "/*/bin" : $"in '{binDirectory}'") +
        ": install them (apt-get install postgresql)";

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var v) ? v
        : int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? new Version(major, 0) : null;
}
