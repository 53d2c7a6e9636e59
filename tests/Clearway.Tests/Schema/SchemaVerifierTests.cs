using Clearway.Data.Schema;
using Clearway.Testing.Xunit;
using Npgsql;

namespace Clearway.Tests.Schema;

/// <summary>The verifier finds what is wrong, and says what and where.</summary>
public sealed class SchemaVerifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ALTER TABLE \"Payment\" DROP COLUMN \"failureReason\"", SchemaFindingKinds.MissingColumn, "\"Payment\".\"failureReason\"")]
    [InlineData("DROP INDEX \"AuditLog_timestamp_idx\"", SchemaFindingKinds.MissingIndex, "AuditLog_timestamp_idx")]
    [InlineData("CREATE TABLE \"Shadow\" (id text)", SchemaFindingKinds.ExtraTable, "\"Shadow\"")]
    [InlineData("ALTER TABLE \"Payment\" ALTER COLUMN \"amount\" TYPE numeric(18,4)", SchemaFindingKinds.ColumnType, "\"Payment\".\"amount\"")]
    [InlineData("ALTER TABLE \"User\" ALTER COLUMN \"name\" SET NOT NULL", SchemaFindingKinds.ColumnNullability, "\"User\".\"name\"")]
    [InlineData("ALTER TABLE \"Organization\" ALTER COLUMN \"plan\" SET DEFAULT 'FREE'", SchemaFindingKinds.ColumnDefault, "\"Organization\".\"plan\"")]
    [InlineData("ALTER TABLE \"LegalHold\" DROP CONSTRAINT \"LegalHold_userId_fkey\"", SchemaFindingKinds.MissingForeignKey, "LegalHold_userId_fkey")]
    [InlineData("DROP MATERIALIZED VIEW fund_performance_summary", SchemaFindingKinds.MissingView, "fund_performance_summary")]
    public async Task A_damaged_schema_is_reported_with_kind_and_subject(string damage, string kind, string subject)
    {
        await using var database = await ClearwayDatabase.CreateEmptyAsync();
        await using var connection = await database.OpenConnectionAsync(Ct);
        await ExecuteAsync(connection, damage);

        var report = await SchemaVerifier.VerifyAsync(connection, Ct);

        Assert.False(report.IsValid);
        var finding = Assert.Single(report.Findings, f => f.Kind == kind);
        Assert.Equal(subject, finding.Subject);
        Assert.Contains(subject, report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_extra_index_is_a_warning_not_an_error()
    {
        await using var database = await ClearwayDatabase.CreateEmptyAsync();
        await using var connection = await database.OpenConnectionAsync(Ct);
        await ExecuteAsync(connection, "CREATE INDEX ops_added ON \"Payment\" (\"reference\")");

        var report = await SchemaVerifier.VerifyAsync(connection, Ct);

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(SchemaFindingKinds.ExtraIndex, Assert.Single(report.Findings).Kind);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
