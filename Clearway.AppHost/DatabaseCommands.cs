using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Clearway.AppHost;

/// <summary>
/// The dashboard's database commands. Each runs the real thing, never a copy in the AppHost: Reseed and Reset run the
/// <c>seeder</c> and <c>migrations</c> resources again (their console logs, traces and exit codes), Verify runs the
/// MigrationService's <c>verify</c>, Refresh asks the <c>views</c> worker to refresh now.
/// </summary>
internal static class DatabaseCommands
{
    public static void AddDatabaseCommands(this IDistributedApplicationBuilder builder,
        IResourceBuilder<IResourceWithConnectionString> clearway, IResourceBuilder<ProjectResource> migrations,
        IResourceBuilder<ProjectResource> seeder, IResourceBuilder<ProjectResource> views, IReadOnlyList<object> seederDefaults)
    {
        var runs = new ResourceRuns();
        var states = new CommandStates();
        var seed = new SeedInputs(builder.Configuration);
        builder.Services.AddSingleton(states);
        builder.Services.AddHostedService<CommandStates.Refresher>();
        states.Carriers.AddRange([clearway.Resource, seeder.Resource]);

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

        seeder.WithCommand("reseed", "Reseed…", context => states.ExclusiveAsync(context.Services, async () =>
        {
            var clock = Stopwatch.StartNew();
            var run = await runs.RunAsync(context.Services, seeder.Resource, seed.ReseedArguments(context.Arguments), context.CancellationToken);
            return run.Succeeded
                ? CommandResults.Success($"Reseeded ({seed.Describe()}) in {Seconds(clock)}.")
                : CommandResults.Failure($"Reseed failed: {run.Describe(seeder.Resource.Name)}");
        }), new CommandOptions
        {
            Description = "Empty the 28 tables and seed them again with the profile, seed, scale and date you choose.",
            IconName = "DatabaseArrowRight",
            Arguments = seed.Inputs,
            ValidateArguments = SeedInputs.ValidateAsync,
            UpdateState = context => states.While(context.Services, clearway.Resource.Name, migrations.Resource.Name, seeder.Resource.Name),
        });

        clearway.WithCommand("reset-database", "Reset database", context => states.ExclusiveAsync(context.Services, async () =>
        {
            var clock = Stopwatch.StartNew();
            var down = await runs.RunAsync(context.Services, migrations.Resource, ["rollback", "--to", "0", "--force"], context.CancellationToken);
            if (!down.Succeeded)
                return CommandResults.Failure($"Reset stopped at the rollback; nothing else ran: {down.Describe(migrations.Resource.Name)}");
            var up = await runs.RunAsync(context.Services, migrations.Resource, null, context.CancellationToken);
            if (!up.Succeeded)
                return CommandResults.Failure($"Reset rolled every migration back, then migrating failed: {up.Describe(migrations.Resource.Name)}");
            var reseed = runs.ArgsFor(seeder.Resource.Name) ?? seederDefaults;
            var seeded = await runs.RunAsync(context.Services, seeder.Resource, reseed.Contains("--reset") ? reseed : ["--reset", .. reseed], context.CancellationToken);
            return seeded.Succeeded
                ? CommandResults.Success($"Reset: every migration rolled back, migrated again and seeded in {Seconds(clock)}.")
                : CommandResults.Failure($"Reset migrated the empty database, then seeding failed: {seeded.Describe(seeder.Resource.Name)}");
        }), new CommandOptions
        {
            Description = "Roll every migration back, migrate again and seed: a fresh database, as on a new machine.",
            ConfirmationMessage = "Drop every Clearway table and its data, migrate again and seed again?",
            IconName = "ArrowReset",
            UpdateState = context => states.While(context.Services, clearway.Resource.Name, migrations.Resource.Name, seeder.Resource.Name),
        });

#pragma warning disable ASPIREPROCESSCOMMAND001 // Aspire's process command (evaluation API of the pinned 13.6.5): it runs the worker and returns its output as the result.
        clearway.WithProcessCommand("verify-schema", "Verify schema", async context => new ProcessCommandSpec("dotnet")
        {
            Arguments = [.. DotnetRun(new Projects.Clearway_MigrationService().ProjectPath), "verify"],
            EnvironmentVariables = new Dictionary<string, string>
            {
                ["ConnectionStrings__clearway"] = await clearway.Resource.ConnectionStringExpression.GetValueAsync(context.CancellationToken)
                    ?? throw new InvalidOperationException("The clearway connection string is not available yet."),
                ["DOTNET_ENVIRONMENT"] = "Development",
            },
        }, new ProcessCommandOptions
        {
            Description = "Compare the database with the schema manifest (SCHEMA.md): every table, column, index, key and view.",
            IconName = "CheckmarkStarburst",
            UpdateState = context => states.While(context.Services, clearway.Resource.Name, migrations.Resource.Name),
            GetCommandResult = context => Task.FromResult(VerifyResult(context.ExitCode, [.. context.Output])),
        });
#pragma warning restore ASPIREPROCESSCOMMAND001

        clearway.WithCommand("refresh-materialized-views", "Refresh materialized views", async context =>
        {
            using var http = new HttpClient();
            using var response = await http.PostAsync(new Uri(new Uri(views.GetEndpoint("http").Url), "/refresh"), null, context.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(context.CancellationToken);
            return response.IsSuccessStatusCode ? CommandResults.Success(body) : CommandResults.Failure(body);
        }, new CommandOptions
        {
            Description = "REFRESH MATERIALIZED VIEW CONCURRENTLY on both views now, by the views worker (which also does it on its schedule).",
            IconName = "ArrowSync",
            UpdateState = context => IsRunning(context.Services, views.Resource.Name)
                ? states.While(context.Services, clearway.Resource.Name, migrations.Resource.Name, seeder.Resource.Name)
                : ResourceCommandState.Disabled,
        });
    }

    /// <summary>Success with the verifier's summary line, or failure naming what differs; the whole report as the result.</summary>
    private static ExecuteCommandResult VerifyResult(int exitCode, List<string> lines)
    {
        var report = string.Join('\n', lines);
        if (exitCode == 0)
            return CommandResults.Success(lines.FirstOrDefault(l => l.Contains("schema verified", StringComparison.Ordinal)) ?? "Schema verified.", report, CommandResultFormat.Text);
        var findings = lines.Select(l => l.Trim()).Where(l => l.StartsWith("error ", StringComparison.Ordinal)).Select(l => l["error ".Length..]).ToList();
        return CommandResults.Failure(
            findings.Count > 0 ? $"The schema differs from the manifest ({findings.Count}): {string.Join("; ", findings.Take(5))}" : $"Verify failed: {lines.LastOrDefault() ?? $"exit code {exitCode}"}",
            report, CommandResultFormat.Text);
    }

    private static bool IsRunning(IServiceProvider services, string resource) =>
        services.GetRequiredService<ResourceNotificationService>().TryGetCurrentState(resource, out var e) && e.Snapshot.State?.Text == KnownResourceStates.Running;

    /// <summary>How DCP itself runs a project resource (built already, this AppHost's configuration).</summary>
    private static string[] DotnetRun(string projectPath) =>
    [
        "run", "--project", projectPath, "--no-build", "--no-launch-profile",
        "--configuration", typeof(DatabaseCommands).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug", "--",
    ];

    private static string Seconds(Stopwatch clock) => clock.Elapsed.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture);
}
