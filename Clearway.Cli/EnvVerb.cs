using System.CommandLine;
using Clearway.CommandLine;

namespace Clearway.Cli;

/// <summary>
/// <c>clearway env</c>: the database as the app and the .NET hosts read it, <c>DATABASE_URL</c> and
/// <c>ConnectionStrings__clearway</c>, printed or written into a .env file (owner-only; its other lines kept).
/// </summary>
internal static class EnvVerb
{
    private static readonly string[] Keys = [DatabaseUrl.EnvironmentVariable, ClearwayConnectionString.EnvironmentVariable];

    public static Command Create(Func<CliRuntime> runtime)
    {
        var file = ClearwayOption.Text("--file", "Write the two lines into this .env file (created owner-only; its other lines are kept) instead of printing them", "path");
        var connection = ClearwayOption.Connection();
        var command = new Command("env", "Print DATABASE_URL and ConnectionStrings__clearway for the running `clearway up` (or --connection), or write them into a .env file.")
        {
            file, connection,
        };
        command.WithExamples("clearway env", "clearway env --file .env          # what `npm test` and `prisma` read", "eval \"$(clearway env | sed 's/^/export /')\"");
        command.SetAction((result, ct) => Commands.Run(runtime, async rt =>
        {
            var connectionString = await ConnectionResolver.ResolveAsync(result.GetValue(connection), rt, ct);
            var lines = Lines(connectionString);
            if (result.GetValue(file) is not { } path)
            {
                foreach (var line in lines)
                    await Console.Out.WriteLineAsync(line);
                return ExitCodes.Success;
            }
            await DotEnv.UpdateAsync(Path.GetFullPath(path), lines, ct);
            await Console.Out.WriteLineAsync($"Wrote {string.Join(" and ", Keys)} to {Path.GetFullPath(path)} (readable by you alone).");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The two lines, as dotenv reads them (values quoted: a connection string holds ';' and '=').</summary>
    public static IReadOnlyList<string> Lines(string connectionString) =>
    [
        $"{DatabaseUrl.EnvironmentVariable}={DotEnv.Quote(DatabaseUrl.From(connectionString))}",
        $"{ClearwayConnectionString.EnvironmentVariable}={DotEnv.Quote(connectionString)}",
    ];
}
