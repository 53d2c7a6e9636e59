using System.CommandLine;
using System.CommandLine.Help;

namespace Clearway.CommandLine;

/// <summary>
/// The program shell of every Clearway host: parse (bad input: one line, exit 2, nothing started), print help with
/// examples, or run the command's action; whatever stops it becomes an exit code and one stderr line
/// <c>&lt;tool&gt;: &lt;line&gt;</c> (<see cref="Failures"/>).
/// </summary>
public static class CommandLineProgram
{
    /// <summary>A root command for <paramref name="tool"/> (named so the help's usage line says the tool, not the assembly).</summary>
    public static Command Root(string tool, string description) => new(tool, description)
    {
        new HelpOption(),
        new VersionOption(),
    };

    /// <param name="stopping">Cancelled by the caller's signal handling (the CLI); a worker's host handles its own.</param>
    public static async Task<int> RunAsync(string tool, Command root, string[] args, CancellationToken stopping = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parsed = root.Parse(args);
        if (ParseErrors.Line(parsed) is { } problem)
        {
            await Console.Error.WriteLineAsync(Failures.Format(tool, problem));
            return ExitCodes.Refused;
        }

        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        if (parsed.Action is HelpAction)
        {
            var exit = await parsed.InvokeAsync(invocation, CancellationToken.None);
            if (CommandExamples.Of(parsed.CommandResult.Command) is { Count: > 0 } examples)
            {
                await Console.Out.WriteLineAsync("Examples:");
                foreach (var example in examples)
                    await Console.Out.WriteLineAsync("  " + example);
                await Console.Out.WriteLineAsync();
            }
            return exit;
        }

        try
        {
            return await parsed.InvokeAsync(invocation, stopping);
        }
        catch (Exception e)
        {
            var failure = Failures.Describe(e, stopping.IsCancellationRequested);
            await Console.Error.WriteLineAsync(Failures.Format(tool, failure.Line));
            return failure.ExitCode;
        }
    }
}
