using Clearway.Data.Migrator;
using Clearway.Seeding;
using Spectre.Console;

namespace Clearway.Cli;

/// <summary>
/// Migrating and seeding with a live progress bar when stdout is a terminal (per migration via the migrator's
/// per-migration hook, per table via the seed runner's <see cref="IProgress{T}"/>); plain log lines from the libraries otherwise.
/// </summary>
internal static class LiveProgress
{
    public static async Task<MigrateResult> MigrateAsync(CliRuntime runtime, MigratorOptions options, CancellationToken cancellationToken)
    {
        if (!runtime.Interactive)
            return await runtime.Migrator(options).MigrateAsync(cancellationToken);

        var pending = (await runtime.Migrator(options).GetStatusAsync(cancellationToken)).Pending.Count();
        MigrateResult? result = null;
        await NewProgress().StartAsync(async context =>
        {
            var task = context.AddTask(pending == 0 ? "Migrations up to date, verifying" : $"Migrating ({pending} pending)", maxValue: Math.Max(1, pending));
            var withProgress = options with
            {
                BeforeCommit = (migration, _) =>
                {
                    task.Description = $"Migrated {Markup.Escape(migration.Name)} ({Markup.Escape(migration.Version)})";
                    task.Increment(1);
                    return Task.CompletedTask;
                },
            };
            result = await runtime.Migrator(withProgress).MigrateAsync(cancellationToken);
            task.Description = result.Applied.Count == 0 ? "Migrations up to date, schema verified" : $"Applied {result.Applied.Count} migration(s), schema verified";
            task.Value = task.MaxValue;
        });
        return result!;
    }

    public static async Task<SeedResult> SeedAsync(CliRuntime runtime, string connectionString, SeedOptions options, CancellationToken cancellationToken)
    {
        if (!runtime.Interactive)
            return await new SeedRunner(runtime.LoggerFactory).RunAsync(connectionString, options, cancellationToken);

        var plan = SeedPlan.For(options.Profile, options.Scale);
        SeedResult? result = null;
        await NewProgress().StartAsync(async context =>
        {
            var task = context.AddTask($"Seeding {SeedOptions.ProfileName(options.Profile)} ({plan.TotalRows:N0} rows planned)", maxValue: Math.Max(1, plan.TotalRows));
            var done = 0;
            var progress = new TableProgress(table =>
            {
                done++;
                task.Description = $"Seeded {Markup.Escape(table.Table)} ({table.Rows:N0} rows, {done}/{SeedPlan.TableOrder.Count} tables)";
                task.Increment(table.Rows);
            });
            result = await new SeedRunner(runtime.LoggerFactory).RunAsync(connectionString, options, progress, cancellationToken);
            task.Description = result.Skipped ? "Already seeded with this plan" : $"Seeded {result.TotalRows:N0} rows in {SeedPlan.TableOrder.Count} tables";
            task.Value = task.MaxValue;
        });
        return result!;
    }

    /// <summary>Updates the bar on the seeding thread as each table is written (Progress&lt;T&gt; would post it later).</summary>
    private sealed class TableProgress(Action<SeedTableResult> report) : IProgress<SeedTableResult>
    {
        public void Report(SeedTableResult value) => report(value);
    }

    private static Progress NewProgress() => AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn());
}
