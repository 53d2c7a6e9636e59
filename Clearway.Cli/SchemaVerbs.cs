using Clearway.Data;
using Clearway.Data.Migrator;

namespace Clearway.Cli;

/// <summary><c>migrate</c>, <c>status</c>, <c>script</c>, <c>rollback</c>, <c>verify</c>: the MigrationService's verbs on <see cref="ClearwayMigrator"/>.</summary>
internal static class SchemaVerbs
{
    public static async Task<int> MigrateAsync(string? connection, string? backup, bool overwriteBackup, bool force, CliRuntime runtime, CancellationToken ct)
    {
        var options = runtime.MigratorOptions(await ConnectionResolver.ResolveAsync(connection, runtime, ct), force, backup, overwriteBackup: overwriteBackup);
        var result = await LiveProgress.MigrateAsync(runtime, options, ct);
        await Console.Out.WriteLineAsync(result.ToString());
        return ExitCodes.Success;
    }

    public static async Task<int> StatusAsync(string? connection, CliRuntime runtime, CancellationToken ct)
    {
        var options = runtime.MigratorOptions(await ConnectionResolver.ResolveAsync(connection, runtime, ct));
        var status = await runtime.Migrator(options).GetStatusAsync(ct);
        await Console.Out.WriteLineAsync(status.ToString());
        return ExitCodes.Success;
    }

    public static async Task<int> VerifyAsync(string? connection, CliRuntime runtime, CancellationToken ct)
    {
        var options = runtime.MigratorOptions(await ConnectionResolver.ResolveAsync(connection, runtime, ct));
        var report = await runtime.Migrator(options).VerifyAsync(ct);
        await Console.Out.WriteLineAsync(report.ToString());
        if (!report.IsValid)
            throw CliException.Failure($"schema verification failed: {report.Errors.Count()} error(s) (listed above).", "run `clearway status` and compare; `clearway migrate` applies what is pending");
        return ExitCodes.Success;
    }

    /// <summary>Offline: never connects, so no connection string is needed.</summary>
    public static async Task<int> ScriptAsync(string? from, string? to, bool idempotent)
    {
        await Console.Out.WriteAsync(ClearwayMigrator.Script(from, to, idempotent));
        return ExitCodes.Success;
    }

    public static async Task<int> RollbackAsync(string? connection, string? to, string? backup, bool overwriteBackup, bool force, CliRuntime runtime, CancellationToken ct)
    {
        _ = ClearwayMigrator.FindMigration(to, "--to"); // bad input is refused before anything is looked up
        var options = runtime.MigratorOptions(await ConnectionResolver.ResolveAsync(connection, runtime, ct), force, backup, overwriteBackup: overwriteBackup);
        var result = await runtime.Migrator(options).RollbackAsync(to!, ct);
        await Console.Out.WriteLineAsync(result.ToString());
        return ExitCodes.Success;
    }
}
