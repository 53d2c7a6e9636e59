// TEMPORARY: stands in for the lead's Clearway.Data.Schema.SchemaVerifier until it lands on main; deleted at merge.
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Clearway.Data.Schema;

public sealed record SchemaFinding(string Kind, string Object, string Detail);

public sealed class SchemaReport(IReadOnlyList<SchemaFinding> findings)
{
    public bool IsValid => Findings.Count == 0;
    public IReadOnlyList<SchemaFinding> Findings { get; } = findings;
    public override string ToString() => IsValid ? "Schema OK" : string.Join(Environment.NewLine, Findings.Select(f => $"{f.Kind} {f.Object}: {f.Detail}"));
}

public static class SchemaVerifier
{
    public static async Task<SchemaReport> VerifyAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var context = new ClearwayDbContext(ClearwayNpgsql.Options("Host=localhost;Database=stub"));
        var findings = new List<SchemaFinding>();
        foreach (var table in context.Model.GetEntityTypes().Select(e => e.GetTableName()!).Distinct())
        {
            await using var command = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", connection);
            command.Parameters.AddWithValue("t", $"public.\"{table}\"");
            if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                findings.Add(new SchemaFinding("table", table, "missing"));
        }
        return new SchemaReport(findings);
    }
}
