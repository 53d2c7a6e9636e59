using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Clearway.Data.Migrator;

/// <summary>
/// The <c>Migrator:*</c> configuration section (environment: <c>Migrator__ServerWaitLimit</c>, ...), bound by the
/// configuration binder (durations as <c>00:01:00</c>) and validated at start by <see cref="AddMigratorSettings"/>.
/// </summary>
public sealed class MigratorSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Migrator";

    /// <summary>How long to keep retrying while the server cannot be reached (each attempt included). Default 60 s.</summary>
    public TimeSpan ServerWaitLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for another migrator's run lock. Default 5 minutes.</summary>
    public TimeSpan LockWaitLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The <c>pg_dump</c> executable for <c>--backup</c>; null searches <c>PATH</c>.</summary>
    public string? PgDumpPath { get; set; }

    /// <summary>What is wrong with these settings (one line each, naming the key and the fix); empty when nothing.</summary>
    public IEnumerable<string> Problems()
    {
        if (ServerWaitLimit < TimeSpan.Zero)
            yield return $"{Section}:{nameof(ServerWaitLimit)} must not be negative (got {ServerWaitLimit}); give a duration like 00:01:00";
        if (LockWaitLimit < TimeSpan.Zero)
            yield return $"{Section}:{nameof(LockWaitLimit)} must not be negative (got {LockWaitLimit}); give a duration like 00:05:00";
        if (PgDumpPath is not null && string.IsNullOrWhiteSpace(PgDumpPath))
            yield return $"{Section}:{nameof(PgDumpPath)} is empty; give the path of pg_dump, or unset it to search PATH";
    }
}

/// <summary>Registers <see cref="MigratorSettings"/> for a host.</summary>
public static class MigratorSettingsRegistration
{
    /// <summary>
    /// Binds <see cref="MigratorSettings"/> to the <c>Migrator</c> section of the host's configuration and validates them
    /// when the host starts (an <see cref="OptionsValidationException"/> naming each bad key).
    /// </summary>
    public static OptionsBuilder<MigratorSettings> AddMigratorSettings(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<MigratorSettings>, MigratorSettingsValidator>();
        return services.AddOptions<MigratorSettings>().BindConfiguration(MigratorSettings.Section).ValidateOnStart();
    }

    private sealed class MigratorSettingsValidator : IValidateOptions<MigratorSettings>
    {
        public ValidateOptionsResult Validate(string? name, MigratorSettings options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

/// <summary>Settings that could not be bound or validated, as one line for the operator.</summary>
public static class MigratorSettingsFailure
{
    /// <summary>One line naming the bad key and the fix, or null when <paramref name="exception"/> is not about the settings.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException e when e.OptionsType == typeof(MigratorSettings) => string.Join("; ", e.Failures) + ".",
        // The binder's own message names the value and the key: "Failed to convert configuration value 'x' at 'Migrator:LockWaitLimit' to type 'System.TimeSpan'."
        InvalidOperationException { InnerException: not null } e when e.Message.Contains($"'{MigratorSettings.Section}:", StringComparison.Ordinal) =>
            $"{e.Message.TrimEnd('.')}; give a duration like 00:01:00 (environment: {MigratorSettings.Section}__<Setting>).",
        _ => null,
    };
}
