using Clearway.Data.Migrator;
using Clearway.Seeding;
using Clearway.States;
using Spectre.Console;

namespace Clearway.Cli;

/// <summary>
/// Migrating and seeding with a live progress bar when stdout is a terminal (per migration via the migrator's
/// <see cref="IProgress{T}"/> reports, per table via the seed runner's); plain log lines from the libraries otherwise.
/// </summary>
internal static class LiveProgress
{
    public static async Task<MigrateResult> MigrateAsync(CliRuntime runtime, MigrationRun run, CancellationToken cancellationToken)
    {
        var migrator = runtime.Migrator(run);
        if (!runtime.Interactive)
            return await migrator.MigrateAsync(cancellationToken);

        MigrateResult? result = null;
        await NewProgress().StartAsync(async context =>
        {
            var task = context.AddTask("Migrating: checking what is pending", maxValue: 1);
            var progress = new StepProgress<MigrationProgress>(step =>
            {
                task.MaxValue = step.Count;
                if (step.Committed is null)
                {
                    task.Description = $"Migrating {Markup.Escape(step.Migration.Name)} ({Markup.Escape(step.Migration.Version)}), {step.Number} of {step.Count}";
                    return;
                }
                task.Description = $"Migrated {Markup.Escape(step.Migration.Name)} ({Markup.Escape(step.Migration.Version)})";
                task.Increment(1);
            });
            result = await migrator.MigrateAsync(progress, cancellationToken);
            task.Description = result.Applied.Count == 0 ? "Migrations up to date, schema verified" : $"Applied {result.Applied.Count} migration(s), schema verified";
            task.Value = task.MaxValue;
        });
        return result!;
    }

    /// <summary>Seeds through the template store (<see cref="DatabaseStates"/>); the progress shows the template's build when there is one.</summary>
    public static async Task<SeedResult> SeedAsync(CliRuntime runtime, string connectionString, SeedOptions options, CancellationToken cancellationToken)
    {
        var states = runtime.States(connectionString);
        if (!runtime.Interactive)
            return await states.SeedAsync(options, progress: null, cancellationToken);

        var plan = SeedPlan.For(options.Profile, options.Scale);
        SeedResult? result = null;
        await NewProgress().StartAsync(async context =>
        {
            var task = context.AddTask($"Seeding {SeedOptions.ProfileName(options.Profile)} ({plan.TotalRows:N0} rows planned)", maxValue: Math.Max(1, plan.TotalRows));
            var done = 0;
            var progress = new StepProgress<SeedTableResult>(table =>
            {
                done++;
                task.Description = $"Seeded {Markup.Escape(table.Table)} ({table.Rows:N0} rows, {done}/{SeedPlan.TableOrder.Count} tables)";
                task.Increment(table.Rows);
            });
            result = await states.SeedAsync(options, progress, cancellationToken);
            task.Description = result.Skipped ? "Already seeded with this plan" : $"Seeded {result.TotalRows:N0} rows in {SeedPlan.TableOrder.Count} tables";
            task.Value = task.MaxValue;
        });
        return result!;
    }

    /// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
    private sealed class StepProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static Progress NewProgress() => AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn());
}
