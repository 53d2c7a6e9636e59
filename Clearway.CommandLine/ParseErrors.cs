using System.CommandLine;

namespace Clearway.CommandLine;

/// <summary>The one line for bad input on the command line: the problem, then where help is.</summary>
public static class ParseErrors
{
    /// <summary>
    /// The first problem of <paramref name="result"/> (an unrecognized token first: "Unrecognized command or argument 'x'"
    /// says more than "Required command was not provided", which System.CommandLine lists before it), or null.
    /// </summary>
    public static string? Line(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string? problem = null;
        if (result.Errors.Count > 0)
        {
            var error = result.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? result.Errors[0];
            problem = error.Message.Trim().TrimEnd('.');
            if (problem.StartsWith("Required command was not provided", StringComparison.Ordinal))
                problem = $"a verb is needed ({string.Join(", ", result.CommandResult.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))})";
        }
        else if (!result.CommandResult.Command.TreatUnmatchedTokensAsErrors)
        {
            problem = HostArguments.Problem(result);
        }
        return problem is null ? null : $"{problem}. Fix: see `{CommandPath(result.CommandResult.Command)} --help`.";
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, c.Name);
        return string.Join(' ', names);
    }
}
