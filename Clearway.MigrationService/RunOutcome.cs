namespace Clearway.MigrationService;

/// <summary>The process exit code, set by the worker before it stops the host.</summary>
internal sealed class RunOutcome
{
    public int ExitCode { get; set; } = 1;
}
