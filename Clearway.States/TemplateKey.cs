using System.Security.Cryptography;
using System.Text;

namespace Clearway.States;

/// <summary>
/// Names a template database after everything that decides its content: the migrations of this build and the seed
/// recipe (profile, seed, scale, as-of, seeder version). A change to any of them gives a new name, so a stale template
/// is never reused, and an unchanged one always is.
/// </summary>
public sealed record TemplateKey(string DatabaseName, string Recipe)
{
    public const string Prefix = "clearway_tpl_";

    /// <summary>What a template under construction is called until it is complete (and dropped if it never is).</summary>
    public const string BuildSuffix = "_build";

    public static TemplateKey For(IEnumerable<string> migrationIds, string seed)
    {
        var recipe = $"migrations={string.Join(',', migrationIds)};{seed}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipe)))[..16];
        return new TemplateKey(Prefix + hash, recipe);
    }

    public string BuildName => DatabaseName + BuildSuffix;

    /// <summary>
    /// The advisory lock held shared by everyone using this template (a <see cref="TemplateLease"/>) and taken exclusively
    /// to drop it: a template in use is never dropped.
    /// </summary>
    public long UseLock => UseLockOf(DatabaseName);

    /// <summary>The advisory lock held while the template is built, so processes asking at once build it once.</summary>
    public long BuildLock => BuildLockOf(DatabaseName);

    internal static long UseLockOf(string database) => Hash("use:" + database);

    internal static long BuildLockOf(string database) => Hash("build:" + database);

    private static long Hash(string text) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
}
