namespace Clearway.Postgres;

/// <summary>
/// A command line to run as it is: the program, its arguments, the environment variables to add, and the directory
/// to run it in (one the server's account can enter).
/// </summary>
public sealed record PostgresCommand(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory);
