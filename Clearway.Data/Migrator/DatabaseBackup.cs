using System.Diagnostics;
using Clearway.Postgres;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>Runs <c>pg_dump</c> (custom format, restore with <c>pg_restore</c>) before the migrator changes anything.</summary>
internal static class DatabaseBackup
{
    /// <summary>Finds pg_dump (configured path, else PATH) before anything else happens; refuses (exit 2) when missing.</summary>
    public static string ResolvePgDump(string? pgDumpPath)
    {
        var pgDump = pgDumpPath ?? PostgresBinaries.FindOnPath("pg_dump")
            ?? throw MigratorException.Refusal("--backup needs pg_dump, which is not installed (not found on PATH); nothing was changed.",
                "install the PostgreSQL client tools matching the server's major version, or run without --backup after taking a backup yourself");
        return File.Exists(pgDump)
            ? pgDump
            : throw MigratorException.Refusal($"--backup: pg_dump not found at '{pgDump}'; nothing was changed.");
    }

    public static async Task RunAsync(string connectionString, string file, string pgDump, ILogger logger, CancellationToken ct)
    {

        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var full = Path.GetFullPath(file);
        var start = new ProcessStartInfo(pgDump)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--format=custom", "--no-password", "--file", full, "--host", target.Host!,
                     "--port", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dbname", target.Database! })
            start.ArgumentList.Add(arg);
        if (!string.IsNullOrEmpty(target.Username))
        {
            start.ArgumentList.Add("--username");
            start.ArgumentList.Add(target.Username);
        }
        if (!string.IsNullOrEmpty(target.Password))
            start.Environment["PGPASSWORD"] = target.Password;

        logger.BackingUp(target.Database!, full, pgDump);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw MigratorException.Failure($"Could not start {pgDump}.");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var error = (await stderr).Trim();
        await stdout;
        if (process.ExitCode != 0)
            throw MigratorException.Failure(
                $"Backup failed: pg_dump exited with {process.ExitCode}: {FirstLine(error)}; nothing was changed.",
                "fix the backup (pg_dump version must be >= the server's) or run without --backup after taking one yourself");
        var length = File.Exists(full) ? new FileInfo(full).Length : 0;
        if (length == 0)
            throw MigratorException.Failure($"Backup failed: pg_dump produced an empty file '{full}'; nothing was changed.");
        logger.BackupWritten(full, length, clock.ElapsedMilliseconds);
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim();
        return string.IsNullOrEmpty(line) ? "(no message)" : line;
    }

}
