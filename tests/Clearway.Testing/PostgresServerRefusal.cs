namespace Clearway.Testing;

/// <summary>
/// Tells a refusal of <see cref="PostgresServer.StartAsync"/> (the requested port is in use, the data directory is not
/// ours: bad input, nothing was started) from a failure (initdb or the server failed). Both are one-line
/// <see cref="InvalidOperationException"/>s; a refusal carries a mark in <see cref="Exception.Data"/>.
/// </summary>
public static class PostgresServerRefusal
{
    private const string Key = "Clearway.Testing.Refusal";

    /// <summary>True when <paramref name="exception"/> is a refusal (bad input) rather than a failure.</summary>
    public static bool IsRefusal(Exception exception) => exception?.Data[Key] is true;

    internal static InvalidOperationException Mark(InvalidOperationException exception)
    {
        exception.Data[Key] = true;
        return exception;
    }
}
