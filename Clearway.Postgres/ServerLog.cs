using System.Text;

namespace Clearway.Postgres;

/// <summary>Reads what the server (or initdb) said and boils it down to the one line a failure message needs.</summary>
internal static class ServerLog
{
    private static readonly string[] Severities = ["PANIC:", "FATAL:", "ERROR:", "DETAIL:", "HINT:", "WARNING:"];

    /// <summary>What a LOG line that explains a failure says (startup problems are logged at LOG just before the FATAL).</summary>
    private static readonly string[] Explaining = ["could not", "invalid", "error", "denied", "too long"];

    /// <summary>The log from byte <paramref name="from"/> on (this start's part), or "" when there is none.</summary>
    public static string Read(string path, long from)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>
    /// The lines that explain a failure (errors with their detail and hints, and the LOG lines before them that say
    /// what went wrong), without their timestamp prefixes, on one line; else the last line.
    /// </summary>
    public static string Reason(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reasons = new List<string>();
        foreach (var line in lines)
        {
            var at = Severities.Select(s => line.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            var log = line.IndexOf("LOG:", StringComparison.Ordinal);
            if (at < 0 && log >= 0 && Explaining.Any(e => line.Contains(e, StringComparison.Ordinal)))
                at = log + "LOG:".Length;
            else if (at >= 0)
                at = line.IndexOf(':', at) + 1;
            else if (line.StartsWith("initdb: error:", StringComparison.Ordinal) || line.StartsWith("initdb: detail:", StringComparison.Ordinal) || line.StartsWith("initdb: hint:", StringComparison.Ordinal))
                at = line.IndexOf(':', "initdb:".Length) + 1;
            if (at >= 0)
                reasons.Add(line[at..].Trim());
        }
        if (reasons.Count == 0 && lines.Length > 0)
            reasons.Add(lines[^1]);
        return OneLine(string.Join("; ", reasons.Distinct()));
    }

    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim().TrimEnd('.');

    /// <summary><paramref name="text"/> ending as a sentence: a period added unless it ends with one, or with '?' or '!'.</summary>
    public static string Sentence(string text) => text.EndsWith('.') || text.EndsWith('?') || text.EndsWith('!') ? text : text + ".";
}
