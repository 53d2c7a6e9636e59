using Clearway.Data.Schema;
using Clearway.Seeding;
using Npgsql;

namespace Clearway.AppHost.Tests;

/// <summary>What a finished AppHost run leaves in the database, read over its <c>clearway</c> connection string.</summary>
internal sealed record SeededDatabase(IReadOnlyList<string> AppliedMigrations, string? SeedFingerprint, DateTime? SeededAt, IReadOnlyList<(string Table, long Rows)> Rows)
{
    public static async Task<SeededDatabase> ReadAsync(string connectionString, CancellationToken ct)
    {
        // Unpooled: a dashboard command that puts another database in place ends every session on this one.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);

        var report = await SchemaVerifier.VerifyAsync(connection, ct);
        Assert.True(report.IsValid, report.ToString());

        var applied = new List<string>();
        await using (var history = new NpgsqlCommand("""SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1""", connection))
        await using (var reader = await history.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                applied.Add(reader.GetString(0));

        var marker = await SeedMarker.ReadAsync(connection, ct);
        var rows = new List<(string, long)>();
        foreach (var table in SchemaManifest.Tables)
        {
#pragma warning disable CA2100 // Table names come from the manifest, not from input.
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {PostgresIdentifier.Quote(table.Name)}", connection);
#pragma warning restore CA2100
            rows.Add((table.Name, (long)(await count.ExecuteScalarAsync(ct))!));
        }
        return new SeededDatabase(applied, marker?.Fingerprint, marker?.SeededAtUtc, rows);
    }

    /// <summary>Every migration applied and every table holding exactly the rows the plan of the AppHost's default seed (dev) says.</summary>
    public void AssertDevSeed()
    {
        Assert.Equal(5, AppliedMigrations.Count);
        Assert.NotNull(SeedFingerprint);
        var plan = SeedPlan.For(SeedProfile.Dev);
        foreach (var (table, rows) in Rows)
        {
            var planned = plan.Tables.Single(t => t.Name == table);
            if (planned.IsEstimate)
                Assert.True(rows > 0, $"{table} is empty");
            else
                Assert.Equal((table, planned.Rows), (table, rows));
        }
    }

    /// <summary>Equal when the history, the seed marker (down to its timestamp) and every count are the same.</summary>
    public bool SameAs(SeededDatabase other) =>
        AppliedMigrations.SequenceEqual(other.AppliedMigrations) && SeedFingerprint == other.SeedFingerprint
        && SeededAt == other.SeededAt && Rows.SequenceEqual(other.Rows);
}
