using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Clearway.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Clearway.AppHost;

/// <summary>
/// The dashboard's database commands, each running the real thing, never a copy in the AppHost. The database states
/// (Reseed…, Reset database, the snapshots), Verify schema and Refresh materialized views are Aspire HTTP commands on
/// the <c>dbmanager</c>, which answers with its report; Query statistics, Reset statistics and Index usage are HTTP
/// commands on <c>clearway</c> (the database they describe) that the manager answers too. Rebuild database runs the <c>migrations</c> and <c>seeder</c>
/// resources again (rollback, migrate, seed: their console logs, traces and exit codes), the path that exercises every
/// migration's Down.
/// </summary>
internal static class DatabaseCommands
{
    public static void AddDatabaseCommands(this IDistributedApplicationBuilder builder, DatabaseResources resources, IReadOnlyList<object> seederDefaults)
    {
        var (clearway, migrations, seeder, manager, commandKey, url) = resources;
        var runs = new ResourceRuns();
        var states = new CommandStates();
        var seed = new SeedInputs(builder.Configuration);
        var client = new ManagerClient(manager, commandKey);
        var snapshots = new SnapshotInputs(client);
        builder.Services.AddSingleton(states);
        builder.Services.AddHostedService<CommandStates.Refresher>();
        builder.Services.AddSingleton(services => new StateProperties(clearway.Resource, manager, client, url,
            services.GetRequiredService<ResourceNotificationService>(), services));
        builder.Services.AddHostedService(services => services.GetRequiredService<StateProperties>());
        states.Carriers.AddRange([clearway.Resource, manager.Resource]);

        // Evaluated at every start: a command's run gets its own arguments, every other run the defaults.
        migrations.WithArgs(context =>
        {
            foreach (var argument in runs.ArgsFor(migrations.Resource.Name) ?? [])
                context.Args.Add(argument);
        });
        seeder.WithArgs(context =>
        {
            foreach (var argument in runs.ArgsFor(seeder.Resource.Name) ?? seederDefaults)
                context.Args.Add(argument);
        });

        // While the manager runs and neither migrations nor the seeder do (nor another command).
        ResourceCommandState WhenIdle(UpdateCommandStateContext context) =>
            IsRunning(context.Services, manager.Resource.Name)
                ? states.While(context.Services, clearway.Resource.Name, migrations.Resource.Name, seeder.Resource.Name)
                : ResourceCommandState.Disabled;

        ManagerCommand(ManagerApi.ReseedPath, "reseed", "Reseed…", new HttpCommandOptions
        {
            Description = "Put a seed of the profile, seed, scale and date you choose in place of the database: a clone of its template (built first the first time).",
            IconName = "DatabaseArrowRight",
            Arguments = seed.Inputs,
            ValidateArguments = SeedInputs.ValidateAsync,
            PrepareRequest = async context => context.Request.Content = JsonContent.Create(seed.Request(context.Arguments)),
        });
        ManagerCommand(ManagerApi.ResetPath, "reset-database", "Reset database", new HttpCommandOptions
        {
            Description = "Put the default seed back in place of the database, from its template: a fresh database, as on a new machine, in about a second.",
            ConfirmationMessage = "Replace the database (and whatever the app wrote to it) with a fresh copy of the default seed?",
            IconName = "ArrowReset",
        });
        ManagerCommand(ManagerApi.SnapshotsPath, "save-snapshot", "Save snapshot…", new HttpCommandOptions
        {
            Description = "Keep a copy of the database as it is now (whatever the app wrote), under a name, to restore later.",
            IconName = "Camera",
            Arguments = SnapshotInputs.SaveInputs,
            PrepareRequest = async context => context.Request.Content = JsonContent.Create(SnapshotInputs.SaveRequest(context.Arguments)),
        });
        ManagerCommand(ManagerApi.RestorePath, "restore-snapshot", "Restore snapshot…", new HttpCommandOptions
        {
            Description = "Put a snapshot back in place of the database; one from before a migration is migrated forward if you allow it.",
            ConfirmationMessage = "Replace the database (and whatever the app wrote to it since) with the snapshot?",
            IconName = "History",
            Arguments = snapshots.RestoreInputs,
            PrepareRequest = async context => context.Request.Content = JsonContent.Create(SnapshotInputs.RestoreRequest(context.Arguments)),
        });
        ManagerCommand(ManagerApi.VerifySchemaPath, "verify-schema", "Verify schema", new HttpCommandOptions
        {
            Description = "Compare the database with the schema manifest (SCHEMA.md): every table, column, index, key and view.",
            IconName = "CheckmarkStarburst",
        });
        ManagerCommand(ManagerApi.RefreshViewsPath, "refresh-materialized-views", "Refresh materialized views", new HttpCommandOptions
        {
            Description = "REFRESH MATERIALIZED VIEW CONCURRENTLY on both views now (the manager also does it on its schedule).",
            IconName = "ArrowSync",
        });

        // The schema debugged where it runs: on the database, answered by the manager (the server's own statistics).
        // (Commands of the manager's endpoint on another resource: WithHttpCommand needs a resource with endpoints, so these call it themselves.)
        StatisticsCommand(ManagerApi.QueriesPath, "query-statistics", "Query statistics", new CommandOptions
        {
            Description = "The statements with the most total time since the last reset (pg_stat_statements): calls, mean and max time, rows, buffer hit ratio.",
            IconName = "DataBarVertical",
        });
        StatisticsCommand(ManagerApi.ResetStatisticsPath, "reset-statistics", "Reset statistics", new CommandOptions
        {
            Description = "Start the statement and index statistics of the database afresh, e.g. before a test run whose queries you want to read.",
            IconName = "ArrowCounterclockwise",
        });
        StatisticsCommand(ManagerApi.IndexesPath, "index-usage", "Index usage", new CommandOptions
        {
            Description = "Indexes never scanned since the last reset, with their size, and foreign keys with no index on their referencing columns.",
            IconName = "TableSearch",
        });

        clearway.WithCommand("rebuild-database", "Rebuild database", context => states.ExclusiveAsync(context.Services, async () =>
        {
            var clock = Stopwatch.StartNew();
            var down = await runs.RunAsync(context.Services, migrations.Resource, ["rollback", "--to", "0", "--force"], context.CancellationToken);
            if (!down.Succeeded)
                return CommandResults.Failure($"Rebuild stopped at the rollback; nothing else ran: {down.Describe(migrations.Resource.Name)}");
            var up = await runs.RunAsync(context.Services, migrations.Resource, null, context.CancellationToken);
            if (!up.Succeeded)
                return CommandResults.Failure($"Rebuild rolled every migration back, then migrating failed: {up.Describe(migrations.Resource.Name)}");
            var seeded = await runs.RunAsync(context.Services, seeder.Resource, ["--reset", .. seederDefaults.Where(a => !Equals(a, "--keep-existing"))], context.CancellationToken);
            return seeded.Succeeded
                ? CommandResults.Success($"Rebuilt: every migration rolled back (Down), migrated again (Up) and seeded in {Seconds(clock)}.")
                : CommandResults.Failure($"Rebuild migrated the empty database, then seeding failed: {seeded.Describe(seeder.Resource.Name)}");
        }), new CommandOptions
        {
            Description = "Roll every migration back, migrate again and seed, as runs of the migrations and seeder resources: exercises every migration's Down. Slower than Reset database.",
            ConfirmationMessage = "Drop every Clearway table and its data (rollback to 0), migrate again and seed again?",
            IconName = "ArrowRepeatAll",
            UpdateState = context => states.While(context.Services, clearway.Resource.Name, migrations.Resource.Name, seeder.Resource.Name),
        });

        // Each carries the key and shows the manager's reply; the database's properties are read again after it.
        void ManagerCommand(string path, string name, string displayName, HttpCommandOptions options)
        {
            var prepare = options.PrepareRequest;
            options.PrepareRequest = async request =>
            {
                request.Request.Headers.Add(ManagerApi.CommandKeyHeader, await commandKey.Resource.GetValueAsync(request.CancellationToken));
                if (prepare is not null)
                    await prepare(request);
            };
            options.GetCommandResult = async context =>
            {
                var result = await ReplyAsync(context.Response, context.CancellationToken);
                context.Services.GetRequiredService<StateProperties>().Changed();
                return result;
            };
            options.UpdateState = WhenIdle;
            manager.WithHttpCommand(path, displayName, commandName: name, commandOptions: options);
        }

        void StatisticsCommand(string path, string name, string displayName, CommandOptions options)
        {
            options.UpdateState = context => IsRunning(context.Services, manager.Resource.Name) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;
            clearway.WithCommand(name, displayName, context => client.CommandAsync(context.Services, path, context.CancellationToken), options);
        }
    }

    /// <summary>The manager's <see cref="CommandReply"/>: its summary as the message, its report as the result.</summary>
    internal static async Task<ExecuteCommandResult> ReplyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var reply = await response.Content.ReadFromJsonAsync<CommandReply>(ct);
        if (reply is null)
            return CommandResults.Failure($"The database manager answered {(int)response.StatusCode} without a report.");
        return response.IsSuccessStatusCode
            ? CommandResults.Success(reply.Summary, reply.Report, CommandResultFormat.Text)
            : CommandResults.Failure(reply.Summary, reply.Report, CommandResultFormat.Text);
    }

    internal static bool IsRunning(IServiceProvider services, string resource) =>
        services.GetRequiredService<ResourceNotificationService>().TryGetCurrentState(resource, out var e) && e.Snapshot.State?.Text == KnownResourceStates.Running;

    private static string Seconds(Stopwatch clock) => clock.Elapsed.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture);
}
