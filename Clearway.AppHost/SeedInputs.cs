using System.Globalization;
using Clearway.CommandLine;
using Clearway.Hosting;
using Clearway.Seeding;
using Microsoft.Extensions.Configuration;

namespace Clearway.AppHost;

/// <summary>
/// The Reseed dialog's four inputs, described as the seeder's options are (the shared command-line surface) and filled
/// with the seed the AppHost seeds with (then whatever the last reseed chose), checked with the seeder's own parsers
/// before anything runs.
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
                Name = Profile, Label = "Profile", InputType = InputType.Choice, Required = true, Description = SeedOptionSet.Descriptions.Profile,
                Options = [new("tiny", "tiny (~700 rows, for tests)"), new("dev", "dev (~28,000 rows)"), new("large", "large (~7 million rows, minutes the first time)")],
                Value = configuration["Parameters:seed-profile"] ?? "dev",
            },
            new InteractionInput
            {
                Name = Seed, Label = "Seed", InputType = InputType.Text, Required = true, Description = SeedOptionSet.Descriptions.Seed,
                Value = configuration["Parameters:seed-value"] ?? SeedOptions.DefaultSeed.ToString(CultureInfo.InvariantCulture),
            },
            new InteractionInput { Name = Scale, Label = "Scale", InputType = InputType.Text, Required = true, Value = "1", Description = SeedOptionSet.Descriptions.Scale },
            new InteractionInput
            {
                Name = AsOf, Label = "As of", InputType = InputType.Text, Required = true, Placeholder = "YYYY-MM-DD", Description = SeedOptionSet.Descriptions.AsOf,
                Value = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
        ];
    }

    public IReadOnlyList<InteractionInput> Inputs { get; }

    /// <summary>Adds one error per bad input, in the seeder's words.</summary>
    public static Task ValidateAsync(InputsDialogValidationContext context)
    {
        var values = context.Inputs;
        Check(context, Profile, () => SeedOptions.ParseProfile(values.GetString(Profile) ?? ""));
        Check(context, Seed, () => SeedOptions.ParseSeed(values.GetString(Seed) ?? ""));
        Check(context, Scale, () => SeedOptions.Parse(values.GetString(Profile) ?? "dev", null, values.GetString(Scale) ?? "", null, reset: true));
        Check(context, AsOf, () => SeedOptions.ParseAsOf(values.GetString(AsOf) ?? ""));
        return Task.CompletedTask;
    }

    /// <summary>The manager's request for the submitted values; the dialog keeps them for next time.</summary>
    public SeedRequest Request(InteractionInputCollection submitted)
    {
        foreach (var input in Inputs)
            input.Value = submitted.GetString(input.Name);
        return new SeedRequest(Value(Profile), Value(Seed), Value(Scale), Value(AsOf));
    }

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
