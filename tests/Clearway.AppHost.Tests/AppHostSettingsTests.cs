using System.Diagnostics;

namespace Clearway.AppHost.Tests;

/// <summary>The AppHost's own settings: a bad one is one line naming it and the fix, exit 2, before anything starts.</summary>
public sealed class AppHostSettingsTests
{
    [Theory]
    [InlineData("--Clearway:Postgres:Mode=sideways", "Clearway:Postgres:Mode is 'sideways': use container, local or external")]
    [InlineData("--Clearway:Postgres:Mode=", "Clearway:Postgres:Mode is empty: use container, local or external")]
    [InlineData("--Clearway:Postgres:PgAdmin=maybe", "Clearway:Postgres:PgAdmin is 'maybe': use true or false")]
    [InlineData("--Clearway:Postgres:Tag=", "Clearway:Postgres:Tag is empty")]
    [InlineData("--Clearway:Postgres:Image=", "Clearway:Postgres:Image is empty")]
    [InlineData("--Clearway:Postgres:DataVolume=../elsewhere", "Clearway:Postgres:DataVolume '../elsewhere' is not a volume name")]
    [InlineData("--Clearway:Postgres:DataVolume=", "Clearway:Postgres:DataVolume '' is not a volume name")]
    [InlineData("--Clearway:Postgres:DataDirectory=", "Clearway:Postgres:DataDirectory is empty")]
    [InlineData("--Clearway:Postgres:Mode=external", "ConnectionStrings:clearway is not set")]
    public async Task A_bad_setting_is_one_line_and_exit_2(string argument, string expected)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            // As `dotnet run` does: the project folder is the content root, where appsettings.json holds the defaults.
            WorkingDirectory = Path.Combine(RepositoryRoot.Path, "Clearway.AppHost"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Only the command line: no developer secrets or environment deciding the mode.
            Environment = { ["DOTNET_ENVIRONMENT"] = "Development", ["ConnectionStrings__clearway"] = null },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Clearway.AppHost.dll"));
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        var error = (await stderr).TrimEnd();
        Assert.Equal(2, process.ExitCode);
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith("clearway-apphost: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal("", (await stdout).Trim());
    }
}
