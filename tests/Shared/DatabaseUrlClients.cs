using System.Diagnostics;

namespace Clearway.Tests.Shared;

/// <summary>The app's own clients opening a <c>DATABASE_URL</c>: psql (libpq) and node-postgres (<c>pg</c>, from the Node example).</summary>
internal static class DatabaseUrlClients
{
    /// <summary>psql on the URL without Prisma's own <c>schema</c> parameter, which libpq does not know; the first column of the first row.</summary>
    public static async Task<string> PsqlAsync(string url, string sql)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return await RunAsync("psql", ["-X", "-A", "-t", query < 0 ? url : url[..query], "-c", sql], null);
    }

    /// <summary>node-postgres opening exactly the URL the app is given (in its environment); the first column of the first row.</summary>
    public static async Task<string> NodePgAsync(string url, string sql) =>
        await RunAsync("node", ["--input-type=module", "-e",
            $$"""
            import pg from 'pg';
            const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
            await client.connect();
            const { rows } = await client.query(`{{sql}}`);
            console.log(String(Object.values(rows[0])[0]));
            await client.end();
            """], url);

    private static async Task<string> RunAsync(string program, string[] arguments, string? databaseUrl)
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = NodeExample };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DATABASE_URL"] = databaseUrl;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        Assert.True(process.ExitCode == 0, $"{program} exited {process.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }

    /// <summary><c>examples/node</c>, where <c>pg</c> is installed (<c>npm ci</c>).</summary>
    private static string NodeExample
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Clearway.sln")))
                    return Path.Combine(directory.FullName, "examples", "node");
            }
            throw new InvalidOperationException("Clearway.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
