namespace Clearway.Postgres;

/// <summary>
/// The OS account the server and its tools run as: the invoking user, or <c>postgres</c> when that is root
/// (PostgreSQL refuses to run as root).
/// </summary>
internal static class ServerAccount
{
    public const string PostgresAccount = "postgres";

    /// <summary>True when the server runs as <c>postgres</c> rather than as the invoking user.</summary>
    public static bool IsPostgresAccount => Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows();

    /// <summary>
    /// <paramref name="program"/> with <paramref name="arguments"/>, as root wrapped in setpriv. setpriv switches
    /// account and execs, so the process keeps its pid (runuser forks and waits, and kills its child when signalled).
    /// </summary>
    public static (string FileName, List<string> Arguments) Command(string program, IEnumerable<string> arguments)
    {
        if (!IsPostgresAccount)
            return (program, [.. arguments]);
        return (PostgresBinaries.FindOnPath("setpriv") ?? "setpriv",
            [$"--reuid={PostgresAccount}", $"--regid={PostgresAccount}", "--init-groups", "--", program, .. arguments]);
    }

    /// <summary>As root, hands <paramref name="path"/> (recursively) to the server's account; nothing otherwise.</summary>
    public static async Task ChownAsync(string path, CancellationToken cancellationToken)
    {
        if (!IsPostgresAccount)
            return;
        var result = await ProcessRunner.RunAsync(new PostgresCommand("chown", ["-R", $"{PostgresAccount}:{PostgresAccount}", path],
            new Dictionary<string, string>(), "/"), TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new PostgresStartFailedException(
                $"As root, the server runs as the '{PostgresAccount}' account, but handing '{path}' to it failed: {ServerLog.OneLine(result.Output)} " +
                $"(is there a '{PostgresAccount}' account? apt-get install postgresql creates it).");
    }
}
