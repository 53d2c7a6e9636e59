using System.CommandLine;

namespace Clearway.CommandLine;

/// <summary>How every option of every host is made: typed, with the domain's own parser and its message; empty is an error.</summary>
public static class ClearwayOption
{
    /// <summary>A text option; given with an empty value it is bad input (exit 2), never the default.</summary>
    public static Option<string> Text(string name, string description, string helpName, params string[] aliases) =>
        NonEmpty(new Option<string>(name, aliases) { Description = description, HelpName = helpName });

    /// <summary>An on/off switch.</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description };

    /// <summary>
    /// An option whose value the domain's own parser reads (<paramref name="parse"/> throws one line naming the problem),
    /// so a bad value is reported in the same words by every host.
    /// </summary>
    public static Option<T> Typed<T>(string name, string description, string helpName, Func<string, T> parse, params string[] aliases)
    {
        return new Option<T>(name, aliases)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = argument =>
            {
                try
                {
                    // The domain's parser says what an empty value is missing, in its own words.
                    return parse(argument.Tokens.Count == 1 ? argument.Tokens[0].Value : "");
                }
                catch (Exception e) when (e is IClearwayFailure or FormatException or OverflowException)
                {
                    return Fail(argument, e.Message);
                }
            },
        };

        static T Fail(System.CommandLine.Parsing.ArgumentResult argument, string message)
        {
            argument.AddError(message);
            return default!;
        }
    }

    /// <summary>Empty is an error, not a default.</summary>
    public static Option<string> NonEmpty(Option<string> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
                result.AddError(EmptyMessage(option.Name));
        });
        return option;
    }

    /// <summary>The Npgsql connection string of the database to work on (CLI verbs).</summary>
    public static Option<string> Connection() => Text("--connection",
        $"Npgsql connection string (default: {ClearwayConnectionString.EnvironmentVariable}, else the server of a running `clearway up`)",
        "connection-string", "-c");

    private static string EmptyMessage(string name) => $"{name} is empty: give it a value or leave it out";
}
