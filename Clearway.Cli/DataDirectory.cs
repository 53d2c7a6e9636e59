using Clearway.Postgres;

namespace Clearway.Cli;

/// <summary>Where <c>clearway up</c> keeps its PostgreSQL server between runs.</summary>
internal static class DataDirectory
{
    /// <summary>Overrides the default data directory for every verb (handy for scripts and tests).</summary>
    public const string Variable = "CLEARWAY_DATA_DIR";

    /// <summary><c>$CLEARWAY_DATA_DIR</c>, else <c>postgres</c> in the Clearway data folder (<c>~/.clearway</c>; as root <c>/var/lib/clearway</c>).</summary>
    public static string Default
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
                return Path.GetFullPath(fromEnvironment);
            return Path.Combine(ClearwayDataFolder.Default, "postgres");
        }
    }

    /// <summary>The option's directory, or the default when the option is not given (an empty one is refused by the parser).</summary>
    public static string Resolve(string? option) => option is null ? Default : Path.GetFullPath(option);
}
