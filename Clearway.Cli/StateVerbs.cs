using System.CommandLine;
using System.Globalization;
using System.Text;
using Clearway.CommandLine;
using Clearway.States;

namespace Clearway.Cli;

/// <summary><c>states</c> (the template store) and <c>snapshot</c> (the developer's own states) of the database a verb connects to.</summary>
internal static class StateVerbs
{
    public static Command States(Func<CliRuntime> runtime)
    {
        var connection = ClearwayOption.Connection();
        var command = new Command("states", "List the template store: templates and snapshots on the server, with their recipe, size and last use.") { connection };
        command.WithExamples("clearway states", "clearway states prune", "clearway states prune --snapshots");
        command.SetAction((result, ct) => Commands.Run(runtime, async rt =>
        {
            var summary = await rt.States(await ConnectionResolver.ResolveAsync(result.GetValue(connection), rt, ct)).DescribeAsync(ct);
            await Console.Out.WriteAsync(Table(summary.States));
            await Console.Out.WriteLineAsync($"{summary.Database} holds: {summary.Live?.Describe() ?? "no seed"}. Store: {summary.States.Count} database(s), {Megabytes(summary.StoreBytes)}.");
            return ExitCodes.Success;
        }));

        var pruneConnection = ClearwayOption.Connection();
        var snapshots = ClearwayOption.Flag("--snapshots", "Drop the snapshots too (they hold your own data)");
        var prune = new Command("prune", "Drop every template not in use (they are built again when needed); with --snapshots, the snapshots too.") { pruneConnection, snapshots };
        prune.SetAction((result, ct) => Commands.Run(runtime, async rt =>
        {
            var states = rt.States(await ConnectionResolver.ResolveAsync(result.GetValue(pruneConnection), rt, ct));
            var dropped = await states.Store.PruneAsync(result.GetValue(snapshots), ct);
            await Console.Out.WriteLineAsync($"Dropped {dropped.Count} database(s), {Megabytes(dropped.Sum(d => d.Bytes))}.");
            return ExitCodes.Success;
        }));
        command.Subcommands.Add(prune);
        return command;
    }

    public static Command Snapshot(Func<CliRuntime> runtime)
    {
        var command = new Command("snapshot", "Keep the database as it is now under a name, and put it back later (snapshots live on the same server).");
        command.WithExamples("clearway snapshot save before-demo", "clearway snapshot list", "clearway snapshot restore before-demo --migrate", "clearway snapshot rm before-demo");

        var saveName = OptionalName("Name to save under: 1 to 40 letters, digits, '-', '_' or '.' [default: the time]");
        var saveConnection = ClearwayOption.Connection();
        var save = new Command("save", "Copy the database as a snapshot (sessions on it are ended for the moment of the copy; they reconnect).") { saveName, saveConnection };
        save.SetAction((result, ct) => WithSnapshots(runtime, result.GetValue(saveConnection), async snapshots =>
        {
            var saved = await snapshots.SaveAsync(result.GetValue(saveName) ?? Snapshots.DefaultName(DateTimeOffset.UtcNow), ct);
            await Console.Out.WriteLineAsync($"Saved snapshot {saved.Label.Name} ({Megabytes(saved.Bytes)}; {saved.Label.Recipe ?? "no seed marker"}).");
        }, ct));

        var restoreName = RequiredName("The snapshot to put in place of the database");
        var migrate = ClearwayOption.Flag("--migrate", "Apply this build's migrations the snapshot predates (otherwise such a restore is refused)");
        var restoreConnection = ClearwayOption.Connection();
        var restore = new Command("restore", "Put a snapshot in place of the database (what the app wrote since is replaced).") { restoreName, migrate, restoreConnection };
        restore.SetAction((result, ct) => WithSnapshots(runtime, result.GetValue(restoreConnection), async snapshots =>
        {
            var restored = await snapshots.RestoreAsync(result.GetValue(restoreName)!, result.GetValue(migrate), ct);
            var forward = restored.MigratedForward.Count == 0 ? "" : $"; migrated forward by {string.Join(", ", restored.MigratedForward)}";
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Restored snapshot {restored.Name} in {restored.Elapsed.TotalSeconds:0.00} s{forward}."));
        }, ct));

        var listConnection = ClearwayOption.Connection();
        var list = new Command("list", "The snapshots, oldest first, with what they hold, their size and when they were taken.") { listConnection };
        list.SetAction((result, ct) => WithSnapshots(runtime, result.GetValue(listConnection), async snapshots =>
            await Console.Out.WriteAsync(Table(await snapshots.ListAsync(ct))), ct));

        var removeName = RequiredName("The snapshot to remove");
        var removeConnection = ClearwayOption.Connection();
        var remove = new Command("rm", "Remove a snapshot.") { removeName, removeConnection };
        remove.SetAction((result, ct) => WithSnapshots(runtime, result.GetValue(removeConnection), async snapshots =>
        {
            await snapshots.RemoveAsync(result.GetValue(removeName)!, ct);
            await Console.Out.WriteLineAsync($"Removed snapshot {result.GetValue(removeName)}.");
        }, ct));

        foreach (var verb in new[] { save, restore, list, remove })
            command.Subcommands.Add(verb);
        return command;
    }

    private static Argument<string?> OptionalName(string description) => new("name") { Description = description, Arity = ArgumentArity.ZeroOrOne, CustomParser = Name };

    private static Argument<string?> RequiredName(string description) => new("name") { Description = description, CustomParser = Name };

    /// <summary>A snapshot name, checked by the store's own rule before anything connects.</summary>
    private static string? Name(System.CommandLine.Parsing.ArgumentResult argument)
    {
        if (argument.Tokens.Count == 0)
            return null;
        try
        {
            return Snapshots.CheckName(argument.Tokens[0].Value);
        }
        catch (StateException e)
        {
            argument.AddError($"{e.Message}; {e.Hint}");
            return null;
        }
    }

    private static Task<int> WithSnapshots(Func<CliRuntime> runtime, string? connection, Func<Snapshots, Task> work, CancellationToken ct) =>
        Commands.Run(runtime, async rt =>
        {
            await work(rt.States(await ConnectionResolver.ResolveAsync(connection, rt, ct)).Snapshots);
            return ExitCodes.Success;
        });

    private static string Table(IReadOnlyList<StoredState> states)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Kind",-9} {"Name",-36} {"Size",10}  {"Last used",-17} Holds");
        foreach (var state in states.OrderBy(s => s.Label.Kind).ThenByDescending(s => s.Label.LastUsedAt))
        {
            var name = state.Label.Kind == StateKind.Snapshot ? state.Label.Name! : state.Database;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{state.Label.Kind.ToString().ToLowerInvariant(),-9} {name,-36} {Megabytes(state.Bytes),10}  {state.Label.LastUsedAt.UtcDateTime,-17:yyyy-MM-dd HH:mm} {state.Label.Recipe ?? "(no seed)"}");
        }
        return text.ToString();
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MB");
}
