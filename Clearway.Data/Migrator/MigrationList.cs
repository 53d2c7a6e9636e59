using System.Reflection;
using Clearway.Data.Schema;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Clearway.Data.Migrator;

/// <summary>
/// The migrations compiled into this build, oldest first, read from their attributes the way EF Core's
/// <c>IMigrationsAssembly</c> finds them, but without starting EF Core (a run with nothing to apply never does).
/// </summary>
internal static class MigrationList
{
    public static IReadOnlyList<MigrationInfo> All { get; } = typeof(ClearwayDbContext).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract
                    && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(ClearwayDbContext))
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
        .OfType<string>()
        .Order(StringComparer.Ordinal)
        .Select(id => new MigrationInfo(id, NameOf(id), SchemaManifest.VersionOf(id) ?? "?"))
        .ToList();

    /// <summary>Finds a migration by name, id or version; "0" means before the first. Throws (exit 2) when unknown or empty.</summary>
    public static MigrationInfo? Resolve(string? nameIdOrVersion, string what)
    {
        if (string.IsNullOrWhiteSpace(nameIdOrVersion))
            throw MigratorException.Configuration(
                $"{what} is empty; give a migration name, id or version, or 0 for none (known: 0, {string.Join(", ", All.Select(m => m.Name))}).");
        if (nameIdOrVersion == "0")
            return null;
        var match = All.FirstOrDefault(m => string.Equals(m.Id, nameIdOrVersion, StringComparison.OrdinalIgnoreCase))
            ?? All.FirstOrDefault(m => string.Equals(m.Name, nameIdOrVersion, StringComparison.OrdinalIgnoreCase))
            ?? All.FirstOrDefault(m => m.Version == nameIdOrVersion);
        return match ?? throw MigratorException.Configuration(
            $"{what} names migration '{nameIdOrVersion}', which this build does not have; known: 0, {string.Join(", ", All.Select(m => m.Name))}.");
    }

    /// <summary>Position in <see cref="All"/>; -1 for null ("0").</summary>
    public static int IndexOf(MigrationInfo? migration)
    {
        if (migration is null)
            return -1;
        for (var i = 0; i < All.Count; i++)
            if (All[i].Id == migration.Id)
                return i;
        return -1;
    }

    /// <summary>The migration before <paramref name="migration"/>, or null for the first.</summary>
    public static MigrationInfo? Previous(MigrationInfo migration) => IndexOf(migration) is > 0 and var i ? All[i - 1] : null;

    private static string NameOf(string id) => id.Length > 15 && id[14] == '_' ? id[15..] : id;
}
