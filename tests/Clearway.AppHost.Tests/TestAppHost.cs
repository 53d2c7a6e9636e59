using System.Diagnostics;
using System.Security.Cryptography;

namespace Clearway.AppHost.Tests;

/// <summary>How a test starts the real AppHost.</summary>
internal sealed record AppHostOptions
{
    /// <summary>Container mode with this image (the locally built one); null with <see cref="ExternalConnectionString"/>.</summary>
    public string? Image { get; init; }

    /// <summary>External mode: the <c>clearway</c> connection string to use instead of a container.</summary>
    public string? ExternalConnectionString { get; init; }

    /// <summary>The data volume's name: fresh per test, the same across the runs of one test.</summary>
    public string VolumeName { get; init; } = "clearway-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The server's password (a reused volume keeps the password it was created with).</summary>
    public string Password { get; init; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Local mode with the server's directory here (null: container or external mode).</summary>
    public string? LocalDataDirectory { get; init; }

    /// <summary>For the browser tests: interaction on (the Reseed… dialog), which the testing builder turns off.</summary>
    public bool Dashboard { get; init; }

    /// <summary>The seed profile (the AppHost's <c>seed-profile</c> parameter); null: its default.</summary>
    public string? SeedProfile { get; init; }

    /// <summary>How often the views worker refreshes (the AppHost's <c>views-interval</c> parameter).</summary>
    public string ViewsInterval { get; init; } = "1h";

    /// <summary>The command line the AppHost sees: its configuration, as a user would pass it.</summary>
    public string[] Arguments()
    {
        List<string> args = [$"--Parameters:postgres-password={Password}", $"--Parameters:views-interval={ViewsInterval}", "--Clearway:Postgres:PgAdmin=false"];
        if (SeedProfile is { } profile)
            args.Add($"--Parameters:seed-profile={profile}");
        if (LocalDataDirectory is { } local)
        {
            args.Add("--Clearway:Postgres:Mode=local");
            args.Add($"--Clearway:Postgres:DataDirectory={local}");
        }
        else if (ExternalConnectionString is { } external)
        {
            args.Add("--Clearway:Postgres:Mode=external");
            args.Add($"--ConnectionStrings:clearway={external}");
        }
        else
        {
            var (image, tag) = SplitImage(Image ?? throw new InvalidOperationException("Container mode needs an image."));
            args.AddRange(["--Clearway:Postgres:Mode=container", "--Clearway:Postgres:Registry=", $"--Clearway:Postgres:Image={image}", $"--Clearway:Postgres:Tag={tag}"]);
        }
        return [.. args];
    }

    private static (string Image, string Tag) SplitImage(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return (reference[..colon], reference[(colon + 1)..]);
    }
}

/// <summary>
/// The AppHost started from a test: session lifetime, a container name and a volume name of the test's own instead
/// of the developer's persistent container and volume. Left alone, the testing builder names the container exactly as
/// `dotnet run` does, so a test run would replace the developer's running database container (and it leaks both:
/// aspire#6850).
/// </summary>
internal static class TestAppHost
{
    public static async Task<DistributedApplication> StartAsync(AppHostOptions options, CancellationToken ct)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Clearway_AppHost>(
            // The dashboard always, as a developer has it: without one, each worker's last telemetry export retries against
            // a port nobody listens on until the exporter's 10 s timeout, and every run ends 10 s late.
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, options.Arguments(), ct);
        // The testing builder turns interaction off; the dashboard tests fill the Reseed dialog, which needs it.
        if (options.Dashboard)
            builder.Configuration["ASPIRE_INTERACTIVITY_ENABLED"] = "true";
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        foreach (var container in builder.Resources.OfType<ContainerResource>().ToList())
        {
            builder.CreateResourceBuilder(container)
                .WithLifetime(ContainerLifetime.Session)
                .WithContainerName($"clearway-test-{run}-{container.Name}");
        }
        foreach (var resource in builder.Resources)
        {
            var volumes = resource.Annotations.OfType<ContainerMountAnnotation>()
                .Where(m => m.Type == ContainerMountType.Volume && !string.IsNullOrEmpty(m.Source))
                .ToList();
            foreach (var volume in volumes)
            {
                resource.Annotations.Remove(volume);
                resource.Annotations.Add(new ContainerMountAnnotation(options.VolumeName, volume.Target, ContainerMountType.Volume, volume.IsReadOnly));
            }
        }

        var app = await builder.BuildAsync(ct);
        try
        {
            await app.StartAsync(ct);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Removes the test's data volume and the containers still using it (all of them this test's own).</summary>
    public static async Task RemoveVolumeAsync(this AppHostOptions options)
    {
        var users = (await DockerAsync("ps", "--all", "--quiet", "--filter", $"volume={options.VolumeName}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (users.Length > 0)
            await DockerAsync(["rm", "--force", "--volumes", .. users]);
        await DockerAsync("volume", "rm", "--force", options.VolumeName);
    }

    private static async Task<string> DockerAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"docker {string.Join(' ', arguments)}: {await error}");
    }

    /// <summary>Waits until the resource has stopped (Finished, Exited or FailedToStart) and returns that event.</summary>
    public static Task<ResourceEvent> WaitForExitAsync(this DistributedApplication app, string resource, CancellationToken ct) =>
        app.ResourceNotifications.WaitForResourceAsync(
            resource,
            e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
            ct);
}
