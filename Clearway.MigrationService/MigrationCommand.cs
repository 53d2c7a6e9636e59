namespace Clearway.MigrationService;

/// <summary>What the worker was asked to do, parsed from the command line.</summary>
internal sealed record MigrationCommand
{
    public const string Usage =
        "usage: Clearway.MigrationService [migrate] [--backup <file>] [--force] | status | verify | " +
        "script [--from <migration|0>] [--to <migration>] [--idempotent] | rollback --to <migration|0> [--backup <file>] [--force]";

    public string Verb { get; init; } = "migrate";
    public string? From { get; init; }
    public string? To { get; init; }
    public bool Idempotent { get; init; }
    public bool Force { get; init; }
    public string? BackupFile { get; init; }
    public bool Help { get; init; }

    private static readonly string[] Verbs = ["migrate", "status", "verify", "script", "rollback"];

    /// <summary>Host options that <c>Host.CreateApplicationBuilder(args)</c> consumes; accepted and passed through.</summary>
    private static readonly string[] HostOptions = ["--environment", "--contentRoot", "--applicationName"];

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a one-line message on bad input.</summary>
    public static MigrationCommand Parse(IReadOnlyList<string> args)
    {
        var command = new MigrationCommand();
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            if (!Verbs.Contains(args[0], StringComparer.Ordinal))
                throw new ArgumentException($"Unknown verb '{args[0]}'.");
            command = command with { Verb = args[0] };
            i = 1;
        }
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            string Value(string option) => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new ArgumentException($"Option {option} needs a value.");
            switch (arg)
            {
                case "-h" or "--help":
                    command = command with { Help = true };
                    break;
                case "--from" when command.Verb == "script":
                    command = command with { From = Value(arg) };
                    break;
                case "--to" when command.Verb is "script" or "rollback":
                    command = command with { To = Value(arg) };
                    break;
                case "--idempotent" when command.Verb == "script":
                    command = command with { Idempotent = true };
                    break;
                case "--force" when command.Verb is "migrate" or "rollback":
                    command = command with { Force = true };
                    break;
                case "--backup" when command.Verb is "migrate" or "rollback":
                    command = command with { BackupFile = Value(arg) };
                    break;
                case var host when HostOptions.Contains(host, StringComparer.OrdinalIgnoreCase):
                    _ = Value(host);
                    break;
                case var other when other.StartsWith('-'):
                    throw new ArgumentException($"Unknown option '{other}' for '{command.Verb}'.");
                default:
                    throw new ArgumentException($"Unexpected argument '{arg}'.");
            }
        }
        if (command.Verb == "rollback" && command.To is null && !command.Help)
            throw new ArgumentException("rollback needs --to <migration|0>.");
        return command;
    }
}
