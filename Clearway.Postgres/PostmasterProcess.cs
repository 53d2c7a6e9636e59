using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Clearway.Postgres;

/// <summary>
/// The postmaster this process started, and the only process it will ever signal: identified from the moment it is
/// spawned by its pid and start time, and checked to still be that very process before every signal.
/// </summary>
internal sealed class PostmasterProcess : IDisposable
{
    private const int SigInt = 2;
    private const int SigQuit = 3;

    private readonly Process _process;
    private readonly long? _startTime;

    private PostmasterProcess(Process process)
    {
        _process = process;
        _startTime = ProcStat.StartTime(process.Id);
    }

    public int Id => _process.Id;

    public long? StartTime => _startTime;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Spawns <paramref name="command"/> with its log appended to <paramref name="logFile"/>: in a session of its own
    /// (setsid), so a Ctrl+C at the terminal reaches the host, which then stops the server, not the server behind its
    /// back; through a shell only for the redirections (umask 077: the log is owner-only). Every step execs, so the
    /// process spawned is the postmaster.
    /// </summary>
    public static PostmasterProcess Start(PostgresCommand command, string logFile)
    {
        var psi = new ProcessStartInfo(PostgresBinaries.FindOnPath("setsid") ?? "setsid")
        {
            UseShellExecute = false,
            WorkingDirectory = command.WorkingDirectory,
        };
        foreach (var a in (string[])["/bin/sh", "-c", "umask 077; exec \"$@\" </dev/null >>\"$0\" 2>&1", logFile, command.FileName, .. command.Arguments])
            psi.ArgumentList.Add(a);
        foreach (var (name, value) in command.Environment)
            psi.Environment[name] = value;
        return new PostmasterProcess(Process.Start(psi) ?? throw new PostgresStartFailedException("Could not start the PostgreSQL server process.", logFile));
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>
    /// Fast shutdown (SIGINT: clients disconnected, transactions rolled back, a clean checkpoint), then immediate
    /// shutdown (SIGQUIT), then SIGKILL, each only while the process is still the one we started.
    /// </summary>
    public void Stop(TimeSpan fastShutdownLimit)
    {
        if (Signal(SigInt) && _process.WaitForExit(fastShutdownLimit))
            return;
        if (Signal(SigQuit) && _process.WaitForExit(TimeSpan.FromSeconds(10)))
            return;
        if (IsStillOurs())
        {
            try
            {
                _process.Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
        }
    }

    /// <summary>
    /// Running, not yet reaped (so its pid cannot have been handed to anyone else) and with the start time recorded at
    /// spawn: the very process we started.
    /// </summary>
    public bool IsStillOurs() => !_process.HasExited && _startTime is { } start && ProcStat.StartTime(_process.Id) == start;

    private bool Signal(int signal) => IsStillOurs() && Kill(_process.Id, signal) == 0;

    public void Dispose() => _process.Dispose();

    // kill(2) itself: .NET can send SIGKILL only, and a fast shutdown needs SIGINT.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
