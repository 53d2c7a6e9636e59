using System.Globalization;
using Clearway.Seeding;
using Microsoft.Extensions.Configuration;

namespace Clearway.AppHost;

/// <summary>
/// The Reseed dialog's four inputs, filled with the seed the seeder runs with now (the AppHost's parameters, then
/// whatever the last reseed chose), checked with the seeder's own rules before anything runs.
/// </summary>
internal sealed class SeedInputs
{
    public const string Profile = "profile";
    public const string Seed = "seed";
    public const string Scale = "scale";
    public const string AsOf = "asOf";

    public SeedInputs(IConfiguration configuration)
    {
        Inputs =
        [
            new InteractionInput
            {
                Name = Profile, Label = "Profile", InputType = InputType.Choice, Required = true,
                Options = [new("tiny", "tiny (~700 rows, for tests)"), new("dev", "dev (~28,000 rows)"), new("large", "large (~7 million rows, minutes)")],
                Value = configuration["Parameters:seed-profile"] ?? "dev",
            },
            new InteractionInput { Name = Seed, Label = "Seed", InputType = InputType.Text, Required = true, Value = configuration["Parameters:seed-value"] ?? SeedOptions.DefaultSeed.ToString(CultureInfo.InvariantCulture) },
            new InteractionInput { Name = Scale, Label = "Scale", InputType = InputType.Text, Required = true, Value = "1", Description = "Multiplies every row count of the profile." },
            new InteractionInput
            {
                Name = AsOf, Label = "As of", InputType = InputType.Text, Required = true, Placeholder = "YYYY-MM-DD",
                Value = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Description = "\"Today\" of the generated data.",
            },
        ];
    }

    public IReadOnlyList<InteractionInput> Inputs { get; }

    /// <summary>Adds one error per bad input, in the seeder's words.</summary>
    public static Task ValidateAsync(InputsDialogValidationContext context)
    {
        var values = context.Inputs;
        Check(context, Profile, () => SeedOptions.Parse(values.GetString(Profile), null, null, null, reset: true));
        Check(context, Seed, () => SeedOptions.Parse("tiny", values.GetString(Seed), null, null, reset: true));
        Check(context, Scale, () => SeedOptions.Parse(values.GetString(Profile) ?? "dev", null, values.GetString(Scale), null, reset: true));
        Check(context, AsOf, () => SeedOptions.Parse("tiny", null, null, values.GetString(AsOf), reset: true));
        return Task.CompletedTask;
    }

    /// <summary>The seeder's arguments for a reseed with the submitted values; the dialog keeps them for next time.</summary>
    public IReadOnlyList<object> ReseedArguments(InteractionInputCollection submitted)
    {
        foreach (var input in Inputs)
            input.Value = submitted.GetString(input.Name);
        return ["--reset", "--profile", Value(Profile), "--seed", Value(Seed), "--scale", Value(Scale), "--as-of", Value(AsOf)];
    }

    /// <summary>One line: what a reseed with the dialog's values seeds.</summary>
    public string Describe() => $"profile {Value(Profile)}, seed {Value(Seed)}, scale {Value(Scale)}, as of {Value(AsOf)}";

    private string Value(string name) => Inputs.Single(i => i.Name == name).Value!.Trim();

    private static void Check(InputsDialogValidationContext context, string input, Action parse)
    {
        try
        {
            parse();
        }
        catch (SeedInputException e)
        {
            context.AddValidationError(input, e.Message);
        }
    }
}
