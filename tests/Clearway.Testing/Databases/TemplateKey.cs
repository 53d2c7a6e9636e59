using System.Security.Cryptography;
using System.Text;

namespace Clearway.Testing.Databases;

/// <summary>
/// Names a template database after everything that decides its content: the migrations of this build and the
/// seed recipe (profile, seed, scale, as-of, seeder version). A change to any of them gives a new name, so a
/// stale template on an external server is never reused, and an unchanged one always is.
/// </summary>
internal sealed record TemplateKey(string DatabaseName, string Description)
{
    public const string Prefix = "clearway_tpl_";

    public static TemplateKey For(IEnumerable<string> migrationIds, string recipe)
    {
        var description = $"migrations={string.Join(',', migrationIds)};{recipe}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..16];
        return new TemplateKey(Prefix + hash, description);
    }

    /// <summary>The advisory-lock key that serialises building this template across processes.</summary>
    public long LockKey => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(DatabaseName)), 0);
}
