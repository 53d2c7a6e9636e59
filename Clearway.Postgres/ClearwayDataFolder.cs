namespace Clearway.Postgres;

/// <summary>Where Clearway keeps the directories of the servers it starts, unless told otherwise.</summary>
public static class ClearwayDataFolder
{
    /// <summary>
    /// <c>~/.clearway</c>; as root <c>/var/lib/clearway</c>, because the server then runs as the <c>postgres</c>
    /// account, which cannot enter root's home.
    /// </summary>
    public static string Default =>
        Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows()
            ? "/var/lib/clearway"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".clearway");
}
