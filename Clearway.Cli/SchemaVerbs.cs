using Clearway.Data.Migrator;

namespace Clearway.Cli;

/// <summary>The migration verbs on <see cref="ClearwayMigrator"/>, against the database <see cref="ConnectionResolver"/> finds.</summary>
internal static class SchemaVerbs
{
    public static async Task<int> RunAsync(MigrationRequest request, string? connection, CliRuntime runtime, CancellationToken ct)
    {
        if (request.IsOffline)
        {
            // Never connects, so no connection string is needed.
            await Console.Out.WriteAsync(ClearwayMigrator.Script(request.From, request.To, request.Idempotent));
            return ExitCodes.Success;
        }
        if (request.Verb == MigrationVerb.Rollback)
            _ = ClearwayMigrator.FindMigration(request.To, "--to"); // bad input is refused before anything is looked up

        var run = runtime.MigrationRun(await ConnectionResolver.ResolveAsync(connection, runtime, ct), request.Force, request.BackupFile,
            overwriteBackup: request.OverwriteBackup);
        switch (request.Verb)
        {
            case MigrationVerb.Status:
                await Console.Out.WriteLineAsync((await runtime.Migrator(run).GetStatusAsync(ct)).ToString());
                break;
            case MigrationVerb.Verify:
                var report = await runtime.Migrator(run).VerifyAsync(ct);
                await Console.Out.WriteLineAsync(report.ToString());
                report.EnsureValid();
                break;
            case MigrationVerb.Rollback:
                await Console.Out.WriteLineAsync((await runtime.Migrator(run).RollbackAsync(request.To!, ct)).ToString());
                break;
            default:
                await Console.Out.WriteLineAsync((await LiveProgress.MigrateAsync(runtime, run, ct)).ToString());
                break;
        }
        return ExitCodes.Success;
    }
}
