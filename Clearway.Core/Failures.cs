using Microsoft.Extensions.Options;
using Npgsql;

namespace Clearway;

/// <summary>How a host stopped: its exit code and the one line it prints on stderr.</summary>
public sealed record Failure(int ExitCode, string Line);

/// <summary>
/// The one failure contract of every host (the workers, the CLI, the AppHost): any exception becomes an exit code and
/// one line naming the problem and the fix, printed as <c>&lt;tool&gt;: &lt;line&gt;</c>.
/// </summary>
public static class Failures
{
    /// <summary>The exit code and the one line for <paramref name="exception"/>.</summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="cancelled">True when the host was asked to stop (a signal), so a cancellation is that, not a fault.</param>
    public static Failure Describe(Exception exception, bool cancelled = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            IClearwayFailure f => new(f.ExitCode, WithHint(exception.Message, f.Hint)),
            OperationCanceledException when cancelled =>
                new(ExitCodes.Failure, "cancelled (Ctrl+C/SIGTERM/SIGHUP); each step's open transaction was rolled back."),
            OptionsValidationException e => new(ExitCodes.Refused, Sentence(string.Join("; ", e.Failures))),
            // The configuration binder names the value and the key: "Failed to convert configuration value 'x' at 'Migrator:LockWaitLimit' to type 'System.TimeSpan'."
            InvalidOperationException { InnerException: not null } e when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
                new(ExitCodes.Refused, WithHint(e.Message, "fix the setting (a duration is written like 00:01:00), or unset it for the default")),
            PostgresException e => new(ExitCodes.Failure, WithHint($"PostgreSQL error {e.SqlState}: {e.MessageText}", PostgresErrorHints.For(e))),
            NpgsqlException e => new(ExitCodes.Failure, WithHint($"cannot talk to PostgreSQL: {e.Message}", PostgresErrorHints.For(e))),
            _ => new(ExitCodes.Failure, Sentence($"failed: {exception.GetBaseException().Message}")),
        };
    }

    /// <summary>The stderr line of a host named <paramref name="tool"/>: <c>&lt;tool&gt;: &lt;line&gt;</c>.</summary>
    public static string Format(string tool, string line) => $"{tool}: {line}";

    private static string Sentence(string message)
    {
        var trimmed = message.Trim();
        return trimmed.EndsWith('.') || trimmed.EndsWith('?') || trimmed.EndsWith('!') ? trimmed : trimmed + ".";
    }

    private static string WithHint(string message, string? hint) =>
        (hint is null ? Sentence(message) : $"{Sentence(message)} Fix: {hint.Trim().TrimEnd('.')}.").ReplaceLineEndings(" ").Trim();
}
