using Npgsql;

namespace Clearway.Cli;

/// <summary>
/// The database the non-<c>up</c> verbs work on: <c>--connection</c>, else <c>ConnectionStrings__clearway</c>, else the server
/// of a running <c>clearway up</c> (its <see cref="UpState"/> file, if that server answers), else a one-line refusal.
/// </summary>
internal static class ConnectionResolver
{
    public const string Variable = "ConnectionStrings__clearway";

    /// <summary>The explicit connection string (option, then environment), or null.</summary>
    public static string? Explicit(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment
        : null;

    public static async Task<string> ResolveAsync(string? option, CliRuntime runtime, CancellationToken cancellationToken) =>
        Explicit(option) ?? await FindUpAsync(runtime, cancellationToken) ?? throw CliException.Refusal(
            "no database to connect to: no --connection, no ConnectionStrings__clearway and no running `clearway up`" +
            $" (looked for {UpState.PathIn(DataDirectory.Default)}).",
            "pass --connection \"Host=...;Port=5432;Database=clearway;Username=...;Password=...\", set ConnectionStrings__clearway, or start `clearway up` in another terminal");

    /// <summary>The server of a running <c>clearway up</c> (its state file, if that server answers), or null.</summary>
    public static async Task<string?> FindUpAsync(CliRuntime runtime, CancellationToken cancellationToken)
    {
        var directory = DataDirectory.Default;
        if (UpState.TryRead(directory) is not { } state)
            return null;
        var problem = await ProbeAsync(state.ConnectionString, cancellationToken);
        if (problem is null)
        {
            CliLog.UsingUpServer(runtime.Logger, directory, state.Pid);
            return state.ConnectionString;
        }
        CliLog.StaleState(runtime.Logger, UpState.PathIn(directory), problem);
        return null;
    }

    /// <summary>Null when the server answers within a few seconds, else why not.</summary>
    private static async Task<string?> ProbeAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3, Database = "postgres" };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or TimeoutException)
        {
            return "the server it names does not answer: " + e.Message;
        }
    }
}
