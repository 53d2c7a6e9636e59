using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using Clearway.Cli;
using Clearway.Data;

// Ctrl+C, SIGTERM and SIGHUP (the terminal closed) cancel the running verb (`up` then stops its server cleanly); a second
// signal ends the process at once.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (stop.IsCancellationRequested)
        return;
    context.Cancel = true;
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

var root = Commands.Build(CliRuntime.Create);
var parsed = root.Parse(args);

// Bad input is one line on stderr naming the problem and the fix, exit 2 (System.CommandLine's own default is 1).
if (parsed.Errors.Count > 0)
{
    var verb = parsed.CommandResult.Command == root ? "clearway" : $"clearway {parsed.CommandResult.Command.Name}";
    // "Unrecognized command or argument 'x'" says more than "Required command was not provided", which comes first.
    var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
    var problem = error.Message.TrimEnd('.');
    if (args.Length == 0 || problem.StartsWith("Required command was not provided", StringComparison.Ordinal))
        problem = "a verb is needed (up, migrate, status, script, rollback, verify, seed, refresh-views, reset)";
    await Console.Error.WriteLineAsync($"clearway: {problem}. Fix: see `{verb} --help`.");
    return ExitCodes.Refused;
}

if (parsed.Action is HelpAction)
{
    var exit = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    var name = parsed.CommandResult.Command == root ? "clearway" : parsed.CommandResult.Command.Name;
    if (Commands.Examples.TryGetValue(name, out var examples))
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
    return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, stop.Token);
}
catch (Exception e)
{
    var (code, line) = Failures.Describe(e, stop.IsCancellationRequested);
    await Console.Error.WriteLineAsync($"clearway: {line}");
    return code;
}
