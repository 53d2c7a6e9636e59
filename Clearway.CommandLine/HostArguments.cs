using System.CommandLine;

namespace Clearway.CommandLine;

/// <summary>
/// What a worker's command line may carry besides its own options: configuration keys (<c>--Section:Key value</c>, as
/// any .NET host reads them) and the host's switches. Anything else is reported, the unrecognized token first.
/// </summary>
public static class HostArguments
{
    private static readonly string[] Switches = ["--environment", "--applicationName", "--urls"];

    /// <summary>Lets <paramref name="command"/> (and its verbs) leave host arguments to the host.</summary>
    public static T PassedToHost<T>(this T command) where T : Command
    {
        ArgumentNullException.ThrowIfNull(command);
        command.TreatUnmatchedTokensAsErrors = false;
        foreach (var verb in command.Subcommands)
            verb.PassedToHost();
        return command;
    }

    /// <summary>The one-line problem with the tokens left for the host, or null when they are all host arguments.</summary>
    public static string? Problem(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var tokens = result.UnmatchedTokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var name = token.Split('=', 2)[0];
            if (!name.StartsWith("--", StringComparison.Ordinal))
                return $"unexpected argument '{token}'";
            if (!name.Contains(':', StringComparison.Ordinal) && !Switches.Contains(name, StringComparer.OrdinalIgnoreCase))
                return $"unknown option '{name}'";
            var isSwitch = !name.Contains(':', StringComparison.Ordinal);
            string value;
            if (token.Contains('=', StringComparison.Ordinal))
            {
                value = token.Split('=', 2)[1];
            }
            else
            {
                if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                    return $"option '{name}' needs a value";
                value = tokens[++i];
            }
            // A host switch given empty is an error, not the default; an empty configuration key is the binder's to judge.
            if (isSwitch && string.IsNullOrWhiteSpace(value))
                return $"{name} is empty: give a value, or leave it out";
        }
        return null;
    }
}
