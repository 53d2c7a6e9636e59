using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.Postgres;
using Clearway.Seeding;
using Npgsql;

namespace Clearway.Cli;

/// <summary>Every way a verb can stop, as an exit code (the workers' 0/1/2) and one line for stderr.</summary>
internal static class Failures
{
    public static (int ExitCode, string Line) Describe(Exception exception, bool cancelled) => exception switch
    {
        CliException e => (e.ExitCode, WithHint(e.Message, e.Hint)),
        MigratorException e => (e.ExitCode, WithHint(e.Message, e.Hint)),
        SeedInputException e => (ExitCodes.Refused, WithHint(Sentence(e.Message), "see `clearway <verb> --help`")),
        SeedRefusedException e => (ExitCodes.Refused, Sentence(e.Message)),
        PostgresStartRefusedException e => (ExitCodes.Refused, Sentence(e.Message)),
        PostgresStartFailedException e => (ExitCodes.Failure, Sentence(e.Message)),
        OperationCanceledException when cancelled => (ExitCodes.Failure, "cancelled (Ctrl+C/SIGTERM/SIGHUP); each step's open transaction was rolled back."),
        PostgresException e => (ExitCodes.Failure, WithHint($"PostgreSQL error {e.SqlState}: {e.MessageText}", PostgresErrorHints.For(e))),
        NpgsqlException e => (ExitCodes.Failure, WithHint($"cannot talk to PostgreSQL: {e.Message}", PostgresErrorHints.For(e))),
        _ => (ExitCodes.Failure, $"failed: {exception.GetBaseException().Message}"),
    };

    private static string Sentence(string message) => message.EndsWith('.') ? message : message + ".";

    private static string WithHint(string message, string? hint) =>
        (hint is null ? Sentence(message) : $"{Sentence(message)} Fix: {hint.TrimEnd(' ', '.')}.").ReplaceLineEndings(" ").Trim();
}
