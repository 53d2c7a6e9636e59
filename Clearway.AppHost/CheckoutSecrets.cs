using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace Clearway.AppHost;

/// <summary>
/// User secrets of this checkout alone. The project's <c>UserSecretsId</c> is the same in every clone, while Aspire names
/// the persistent container and its volume after the checkout's path: two clones would share the secrets that Aspire
/// keeps for them (the container's host port, <c>Resources:postgres:tcp:port</c>), and the second container would fail
/// to start on a port the first one holds. So the AppHost runs with <c>ASPIRE_USER_SECRETS_ID</c> set to the project's id
/// plus a hash of the checkout's path; on the first run the server password is carried over from the shared secrets,
/// since the existing volumes were initialised with it. The secrets hold that password: the file is kept owner-only.
/// </summary>
internal static class CheckoutSecrets
{
    private const string Setting = "ASPIRE_USER_SECRETS_ID";
    private static readonly string[] CarriedOver = ["Parameters:postgres-password"];

    /// <summary><paramref name="args"/> with this checkout's secrets id, unless one is given already.</summary>
    public static string[] Apply(string[] args)
    {
        if (args.Any(a => a.Contains(Setting, StringComparison.OrdinalIgnoreCase)) || Environment.GetEnvironmentVariable(Setting) is { Length: > 0 })
            return args;
        var assembly = typeof(CheckoutSecrets).Assembly;
        var shared = assembly.GetCustomAttribute<UserSecretsIdAttribute>()?.UserSecretsId;
        var project = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AppHostProjectPath")?.Value;
        if (shared is null || project is null)
            return args;

        var own = IdFor(shared, project);
        CarryOver(PathHelper.GetSecretsPathFromSecretsId(shared), PathHelper.GetSecretsPathFromSecretsId(own));
        return [.. args, $"--{Setting}={own}"];
    }

    /// <summary>The secrets id of the checkout whose AppHost project is at <paramref name="projectPath"/>.</summary>
    internal static string IdFor(string sharedId, string projectPath) =>
        $"{sharedId}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(projectPath).ToLowerInvariant())))[..12]}";

    /// <summary>Gives <paramref name="ownFile"/> the shared password (not the ports), once; keeps it owner-only.</summary>
    internal static void CarryOver(string sharedFile, string ownFile)
    {
        var own = Read(ownFile) ?? [];
        var shared = Read(sharedFile) ?? [];
        var changed = false;
        foreach (var key in CarriedOver.Where(k => own[k] is null && shared[k] is not null))
        {
            own[key] = shared[key]!.DeepClone();
            changed = true;
        }
        var directory = Path.GetDirectoryName(ownFile)!;
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (changed || !File.Exists(ownFile))
            File.WriteAllText(ownFile, own.ToJsonString());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(ownFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static JsonObject? Read(string file)
    {
        try
        {
            return File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file)) as JsonObject : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // an unreadable secrets file is the user's; Aspire reports it when it reads it
        }
    }
}
