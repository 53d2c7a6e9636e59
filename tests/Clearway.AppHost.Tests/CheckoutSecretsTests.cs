using System.Text.Json.Nodes;

namespace Clearway.AppHost.Tests;

/// <summary>
/// Two clones or worktrees side by side: each gets user secrets of its own (the container's host port Aspire keeps
/// there), while the server password every existing volume was made with is carried over.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CheckoutSecretsTests
{
    [Fact]
    public void Two_checkouts_get_secrets_of_their_own_and_one_checkout_keeps_its_own()
    {
        var first = CheckoutSecrets.IdFor("92fa0132", "/home/dev/clearway/Clearway.AppHost/Clearway.AppHost.csproj");
        var second = CheckoutSecrets.IdFor("92fa0132", "/home/dev/clearway-hotfix/Clearway.AppHost/Clearway.AppHost.csproj");

        Assert.NotEqual(first, second);
        Assert.Equal(first, CheckoutSecrets.IdFor("92fa0132", "/home/dev/clearway/Clearway.AppHost/Clearway.AppHost.csproj"));
        Assert.StartsWith("92fa0132-", first, StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_is_carried_over_the_shared_ports_are_not_and_the_file_is_owner_only()
    {
        var directory = Directory.CreateTempSubdirectory("clearway-secrets-");
        try
        {
            var shared = Path.Combine(directory.FullName, "shared", "secrets.json");
            var own = Path.Combine(directory.FullName, "own", "secrets.json");
            Directory.CreateDirectory(Path.GetDirectoryName(shared)!);
            File.WriteAllText(shared, """{ "Parameters:postgres-password": "kept-for-the-volume", "Resources:postgres:tcp:port": "41234" }""");

            CheckoutSecrets.CarryOver(shared, own);

            var secrets = JsonNode.Parse(File.ReadAllText(own))!.AsObject();
            Assert.Equal("kept-for-the-volume", (string?)secrets["Parameters:postgres-password"]);
            Assert.Null(secrets["Resources:postgres:tcp:port"]);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(own));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(own)!));

            // A password the checkout has since is never overwritten.
            File.WriteAllText(own, """{ "Parameters:postgres-password": "this-checkout's" }""");
            CheckoutSecrets.CarryOver(shared, own);
            Assert.Equal("this-checkout's", (string?)JsonNode.Parse(File.ReadAllText(own))!["Parameters:postgres-password"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
