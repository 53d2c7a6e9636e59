namespace Clearway.Data.Schema;

/// <summary>Double-quotes a PostgreSQL identifier (our names are case-sensitive: <c>"CapitalCall"</c>).</summary>
public static class PostgresIdentifier
{
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
