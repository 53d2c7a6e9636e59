using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>
/// Runs <c>pg_dump</c> (custom format, restore with <c>pg_restore</c>) before the migrator changes anything. The dump is
/// written beside the file and moved into place only when complete, so a failed backup leaves no half file and never
/// spoils an earlier one.
/// </summary>
internal sealed class DatabaseBackup
{
    private readonly string _file;
    private readonly bool _overwrite;
    private readonly string _pgDump;
    private readonly ILogger _logger;

    private DatabaseBackup(string file, bool overwrite, string pgDump, ILogger logger)
    {
        _file = file;
        _overwrite = overwrite;
        _pgDump = pgDump;
        _logger = logger;
    }

    /// <summary>
    /// Checks, before anything else happens, that the backup can be made: pg_dump found (configured path, else PATH) and
    /// the file not already there unless <paramref name="overwrite"/>. Refuses (exit 2) otherwise.
    /// </summary>
    public static DatabaseBackup Prepare(string file, bool overwrite, string? pgDumpPath, ILogger logger)
    {
        var full = Path.GetFullPath(file);
        if (File.Exists(full) && !overwrite)
            throw MigratorException.Refusal($"--backup: '{full}' already exists; nothing was changed.",
                "give a new file name, or add --overwrite-backup to replace it");
        var pgDump = pgDumpPath ?? OnPath("pg_dump")
            ?? throw MigratorException.Refusal("--backup needs pg_dump, which is not installed (not found on PATH); nothing was changed.",
                "install the PostgreSQL client tools matching the server's major version, or run without --backup after taking a backup yourself");
        if (!File.Exists(pgDump))
            throw MigratorException.Refusal($"--backup: pg_dump not found at '{pgDump}'; nothing was changed.");
        return new DatabaseBackup(full, overwrite, pgDump, logger);
    }

    /// <param name="changedSoFar">What this run already changed, for a true failure message ("" when nothing).</param>
    public async Task RunAsync(string connectionString, string changedSoFar, CancellationToken ct)
    {
        var unchanged = changedSoFar.Length == 0 ? "nothing was changed" : $"{changedSoFar}no migration was applied";
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var partial = Path.Combine(Path.GetDirectoryName(_file)!, $".{Path.GetFileName(_file)}.{Environment.ProcessId}.partial");
        var start = new ProcessStartInfo(_pgDump)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--format=custom", "--no-password", "--file", partial, "--host", target.Host!,
                     "--port", target.Port.ToString(CultureInfo.InvariantCulture), "--dbname", target.Database! })
            start.ArgumentList.Add(arg);
        if (!string.IsNullOrEmpty(target.Username))
        {
            start.ArgumentList.Add("--username");
            start.ArgumentList.Add(target.Username);
        }
        if (!string.IsNullOrEmpty(target.Password))
            start.Environment["PGPASSWORD"] = target.Password;

        _logger.BackingUp(target.Database!, _file, _pgDump);
        var clock = Stopwatch.StartNew();
        try
        {
            // Born owner-only: the dump holds every row. pg_dump opens an existing file without changing its mode.
            CreateOwnerOnly(partial);
            using var process = Process.Start(start) ?? throw MigratorException.Failure($"Could not start {_pgDump}; {unchanged}.");
            var stderr = process.StandardError.ReadToEndAsync(ct);
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var error = (await stderr).Trim();
            await stdout;
            if (process.ExitCode != 0)
                throw MigratorException.Failure(
                    $"Backup failed: pg_dump exited with {process.ExitCode}: {FirstLine(error)}; {unchanged}.",
                    "fix the backup (pg_dump version must be >= the server's) or run without --backup after taking one yourself");
            var length = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            if (length == 0)
                throw MigratorException.Failure($"Backup failed: pg_dump produced an empty file for '{_file}'; {unchanged}.");
            try
            {
                File.Move(partial, _file, _overwrite);
            }
            catch (IOException e)
            {
                throw MigratorException.Failure($"Backup failed: cannot write '{_file}': {e.Message}; {unchanged}.");
            }
            _logger.BackupWritten(_file, length, clock.ElapsedMilliseconds);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim();
        return string.IsNullOrEmpty(line) ? "(no message)" : line;
    }

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    private static void CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (new FileStream(path, options))
        {
        }
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // an existing partial keeps its old mode otherwise
    }
}
