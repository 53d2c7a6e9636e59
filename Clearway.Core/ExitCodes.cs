namespace Clearway;

/// <summary>
/// The exit codes of every Clearway host (the workers, the CLI); Aspire's <c>WaitForCompletion</c> and CI read them.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done, or nothing to do.</summary>
    public const int Success = 0;

    /// <summary>The work itself failed: server unreachable, authentication, a migration, the seed or the verification.</summary>
    public const int Failure = 1;

    /// <summary>Bad configuration or input, or a refusal; nothing was changed.</summary>
    public const int Refused = 2;
}
