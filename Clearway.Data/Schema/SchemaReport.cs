using System.Text;

namespace Clearway.Data.Schema;

/// <summary>One difference between a live database and <see cref="SchemaManifest"/>.</summary>
/// <param name="Kind">A <see cref="SchemaFindingKinds"/> value, e.g. <c>MissingColumn</c>.</param>
/// <param name="Subject">What it is about: <c>"CapitalCall"."amountDue"</c>, an index or constraint name.</param>
/// <param name="Detail">Expected against found, in words.</param>
public sealed record SchemaFinding(string Kind, string Subject, string Detail)
{
    /// <summary>Extras the manifest does not list (an index added by hand) are reported but do not fail verification.</summary>
    public bool IsError => Kind is not (SchemaFindingKinds.ExtraIndex or SchemaFindingKinds.ExtraForeignKey);

    public override string ToString() => $"{(IsError ? "error" : "warning")} {Kind} {Subject}: {Detail}";
}

public static class SchemaFindingKinds
{
    public const string MissingTable = nameof(MissingTable);
    public const string ExtraTable = nameof(ExtraTable);
    public const string MissingColumn = nameof(MissingColumn);
    public const string ExtraColumn = nameof(ExtraColumn);
    public const string ColumnType = nameof(ColumnType);
    public const string ColumnNullability = nameof(ColumnNullability);
    public const string ColumnDefault = nameof(ColumnDefault);
    public const string MissingView = nameof(MissingView);
    public const string ViewColumns = nameof(ViewColumns);
    public const string MissingIndex = nameof(MissingIndex);
    public const string IndexDefinition = nameof(IndexDefinition);
    public const string ExtraIndex = nameof(ExtraIndex);
    public const string MissingForeignKey = nameof(MissingForeignKey);
    public const string ForeignKeyDefinition = nameof(ForeignKeyDefinition);
    public const string ExtraForeignKey = nameof(ExtraForeignKey);
    public const string MissingEnum = nameof(MissingEnum);
    public const string EnumLabels = nameof(EnumLabels);
}

/// <summary>The verifier's answer: every finding, and what was checked. Never just a bool.</summary>
public sealed record SchemaReport(IReadOnlyList<SchemaFinding> Findings, int TablesChecked, int ColumnsChecked, int ViewsChecked, int IndexesChecked, int ForeignKeysChecked)
{
    public bool IsValid => !Findings.Any(f => f.IsError);

    public IEnumerable<SchemaFinding> Errors => Findings.Where(f => f.IsError);

    public string Summary =>
        $"{(IsValid ? "schema verified" : "schema INVALID")}: {TablesChecked} tables, {ColumnsChecked} columns, {ViewsChecked} views, " +
        $"{IndexesChecked} indexes and keys, {ForeignKeysChecked} foreign keys checked; {Errors.Count()} errors, {Findings.Count - Errors.Count()} warnings";

    /// <summary>Throws a <see cref="Migrator.MigratorException"/> (exit 1) when the database differs from the manifest.</summary>
    public void EnsureValid()
    {
        if (!IsValid)
            throw Migrator.MigratorException.Failure(
                $"Schema verification failed: {Errors.Count()} error(s) (listed above).", "run `status` and compare; `migrate` applies what is pending");
    }

    public override string ToString()
    {
        var text = new StringBuilder(Summary);
        foreach (var finding in Findings)
            text.AppendLine().Append("  ").Append(finding);
        return text.ToString();
    }
}
