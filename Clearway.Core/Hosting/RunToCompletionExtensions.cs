using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Clearway.Hosting;

/// <summary>Runs a worker host until its <see cref="RunToCompletionService"/> has reported.</summary>
public static class RunToCompletionExtensions
{
    /// <summary>
    /// Starts the host, waits for the work's outcome, stops. Returns 0 when it succeeded; otherwise rethrows what
    /// stopped it, for the host's one failure line (<see cref="Failures"/>). A start that fails (bad settings) throws too.
    /// </summary>
    public static async Task<int> RunToCompletionAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var outcome = host.Services.GetRequiredService<RunOutcome>();
        // What the host's start would find wrong (bad settings, a worker that cannot be built), found here first: as one
        // line from the caller, not as the host's "failed to start" log entry with its stack trace.
        host.Services.GetService<IStartupValidator>()?.Validate();
        _ = host.Services.GetServices<IHostedService>().ToList();
        await host.RunAsync(cancellationToken);
        outcome.ThrowIfFailed();
        if (!outcome.IsReported)
            throw new RunCancelledException();
        return ExitCodes.Success;
    }

    /// <summary>
    /// Runs a long-running host until it is stopped. A background service that died (its loop threw) fails the run, so a
    /// worker whose work stopped never exits 0; a start that fails (bad settings) throws too, as one line.
    /// </summary>
    public static async Task<int> RunServiceAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.Services.GetService<IStartupValidator>()?.Validate();
        var services = host.Services.GetServices<IHostedService>().ToList();
        await host.RunAsync(cancellationToken);
        foreach (var service in services.OfType<BackgroundService>())
        {
            if (service.ExecuteTask is { IsFaulted: true } died)
                ExceptionDispatchInfo.Throw(died.Exception!.InnerExceptions.Count == 1 ? died.Exception.InnerException! : died.Exception);
        }
        return ExitCodes.Success;
    }

    /// <summary>Registers <see cref="RunOutcome"/> and the worker <typeparamref name="TService"/>.</summary>
    public static IServiceCollection AddRunToCompletion<TService>(this IServiceCollection services) where TService : RunToCompletionService
    {
        services.AddSingleton<RunOutcome>();
        services.AddHostedService<TService>();
        return services;
    }
}
