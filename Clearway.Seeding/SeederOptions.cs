namespace Clearway.Seeding;

/// <summary>
/// The seeder's settings as a host binds them: the <c>Seeder</c> section (appsettings.json, <c>Seeder__Profile</c>, ...),
/// then the command line's seed options on top (<c>SeedOptionSet.ApplyTo</c>), typed all the way.
/// </summary>
public sealed class SeederOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Seeder";

    public SeedProfile Profile { get; set; } = SeedProfile.Dev;

    public int Seed { get; set; } = SeedOptions.DefaultSeed;

    public double Scale { get; set; } = 1;

    /// <summary>"Today" of the data; null: today (UTC), and a seed of the same recipe dated another day counts as this one.</summary>
    public DateOnly? AsOf { get; set; }

    /// <summary>Replace a different seed written earlier by the seeder.</summary>
    public bool Reset { get; set; }

    /// <summary>Keep a different seed written earlier by the seeder instead of refusing.</summary>
    public bool KeepExisting { get; set; }

    /// <summary>Seed in the live database in one transaction instead of through the template store.</summary>
    public bool InPlace { get; set; }

    /// <summary>The seed these settings ask for.</summary>
    /// <exception cref="SeedInputException">A value is out of range, or <see cref="Reset"/> and <see cref="KeepExisting"/> are both set.</exception>
    public SeedOptions ToSeedOptions()
    {
        if (Reset && KeepExisting)
            throw new SeedInputException($"{Section}:Reset and {Section}:KeepExisting contradict each other (replace the existing seed, or keep it): choose one");
        var options = new SeedOptions
        {
            Profile = Profile,
            Seed = Seed,
            Scale = Scale,
            AsOf = AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow),
            AsOfIsDefault = AsOf is null,
            Reset = Reset,
            KeepExisting = KeepExisting,
            InPlace = InPlace,
        };
        options.Validate();
        return options;
    }
}
