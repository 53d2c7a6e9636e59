namespace Clearway.Data.Migrator;

/// <summary>One migration this build knows: EF id (<c>20261124001915_InitialSchema</c>), name and schema version.</summary>
public sealed record MigrationInfo(string Id, string Name, string Version)
{
    public override string ToString() => $"{Name} ({Version})";
}
