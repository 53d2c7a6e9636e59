using System.Text;

namespace Clearway.Cli;

/// <summary>A .env file as dotenv (Node, Prisma) reads it: <c>KEY=value</c> lines, values double-quoted with <c>\"</c> and <c>\\</c> escaped.</summary>
internal static class DotEnv
{
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Puts <paramref name="lines"/> (<c>KEY=value</c>) into the file: a line with the same key is replaced in place, a new
    /// key is added at the end, every other line stays. Written to a new owner-only file and renamed over the old one, so a
    /// reader never sees half a file and the password is never readable by other users.
    /// </summary>
    public static async Task UpdateAsync(string path, IReadOnlyList<string> lines, CancellationToken ct)
    {
        var wanted = lines.ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], StringComparer.Ordinal);
        var kept = File.Exists(path) ? await File.ReadAllLinesAsync(path, ct) : [];
        var written = new HashSet<string>(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var line in kept)
        {
            var key = KeyOf(line);
            if (key is not null && wanted.TryGetValue(key, out var replacement))
            {
                if (written.Add(key))
                    text.AppendLine(replacement);
                continue;
            }
            text.AppendLine(line);
        }
        foreach (var (key, line) in wanted.Where(w => !written.Contains(w.Key)))
            text.AppendLine(line);

        await OwnerOnlyFile.WriteAsync(path, text.ToString(), ct);
    }

    /// <summary>The key of a <c>KEY=value</c> line (an <c>export </c> prefix allowed), or null for a comment or a blank line.</summary>
    private static string? KeyOf(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("export ", StringComparison.Ordinal))
            trimmed = trimmed["export ".Length..].TrimStart();
        var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
        return trimmed.Length == 0 || trimmed[0] == '#' || equals <= 0 ? null : trimmed[..equals].Trim();
    }
}
