using Clearway.Seeding;
using Microsoft.Extensions.Options;

namespace Clearway.Seeder;

/// <summary>
/// The <c>Seeder</c> configuration section (appsettings.json, <c>Seeder__*</c> environment variables, the command
/// line). Kept as text so that an empty or malformed value is reported in the seeder's words, not the binder's.
/// </summary>
internal sealed class SeederSettings
{
    public const string Section = "Seeder";

    public string? Profile { get; set; }
    public string? Seed { get; set; }
    public string? Scale { get; set; }
    public string? AsOf { get; set; }
    public string? Reset { get; set; }
    public string? KeepExisting { get; set; }

    /// <exception cref="SeedInputException">A value is empty, malformed or out of range.</exception>
    public SeedOptions ToSeedOptions() => SeedOptions.Parse(Profile, Seed, Scale, AsOf, Flag("reset", Reset)) with
    {
        KeepExisting = Flag("keep-existing", KeepExisting),
    };

    private static bool Flag(string name, string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "false" => false,
        "true" => true,
        _ => throw new SeedInputException($"{name} must be true or false (got '{value}')"),
    };
}

/// <summary>Validates the settings at start (<c>ValidateOnStart</c>): the host does not start on bad input.</summary>
internal sealed class SeederSettingsValidator : IValidateOptions<SeederSettings>
{
    public ValidateOptionsResult Validate(string? name, SeederSettings options)
    {
        try
        {
            options.ToSeedOptions();
            return ValidateOptionsResult.Success;
        }
        catch (SeedInputException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
