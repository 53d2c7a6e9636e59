using System.CommandLine;
using System.Runtime.CompilerServices;

namespace Clearway.CommandLine;

/// <summary>Examples printed after System.CommandLine's help of a command.</summary>
public static class CommandExamples
{
    private static readonly ConditionalWeakTable<Command, string[]> Table = [];

    /// <summary>Attaches <paramref name="examples"/> to <paramref name="command"/>'s help.</summary>
    public static T WithExamples<T>(this T command, params string[] examples) where T : Command
    {
        Table.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>The examples of <paramref name="command"/>; empty when it has none.</summary>
    public static IReadOnlyList<string> Of(Command command) => Table.TryGetValue(command, out var examples) ? examples : [];
}
