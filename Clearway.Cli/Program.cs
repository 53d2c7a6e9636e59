using System.Runtime.InteropServices;
using Clearway.Cli;
using Clearway.CommandLine;

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

return await CommandLineProgram.RunAsync(Commands.Tool, Commands.Build(CliRuntime.Create), args, stop.Token);
