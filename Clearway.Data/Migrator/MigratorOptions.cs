using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Clearway.Data.Migrator;

/// <summary>
/// The migrator's options: the <c>Migrator:*</c> configuration section (environment: <c>Migrator__ServerWaitLimit</c>, ...), bound by the
/// configuration binder (durations as <c>00:01:00</c>) and validated at start by <see cref="MigratorOptionsRegistration.AddMigratorOptions"/>.
/// </summary>
public sealed class MigratorOptions
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

/// <summary>Registers <see cref="MigratorOptions"/> for a host.</summary>
public static class MigratorOptionsRegistration
{
    /// <summary>
    /// Binds <see cref="MigratorOptions"/> to the <c>Migrator</c> section of the host's configuration and validates them
    /// when the host starts (an <see cref="OptionsValidationException"/> naming each bad key).
    /// </summary>
    public static OptionsBuilder<MigratorOptions> AddMigratorOptions(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<MigratorOptions>, MigratorOptionsValidator>();
        return services.AddOptions<MigratorOptions>().BindConfiguration(MigratorOptions.Section).ValidateOnStart();
    }

    private sealed class MigratorOptionsValidator : IValidateOptions<MigratorOptions>
    {
        public ValidateOptionsResult Validate(string? name, MigratorOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
