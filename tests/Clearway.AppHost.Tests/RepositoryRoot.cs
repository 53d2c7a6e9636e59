namespace Clearway.AppHost.Tests;

/// <summary>The checkout these tests were built from (the folder holding Clearway.sln).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Clearway.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Clearway.sln not found above {AppContext.BaseDirectory}.");
    }
}
