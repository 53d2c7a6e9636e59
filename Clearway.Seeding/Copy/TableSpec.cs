using Clearway.Seeding.Generation;
using Npgsql;
using NpgsqlTypes;

namespace Clearway.Seeding.Copy;

/// <summary>
/// A table the seeder fills: its name, the columns it writes, the rows a plan gives it, and (in
/// <see cref="TableSpec{T}"/>) its generator.
/// </summary>
internal abstract class TableSpec(string name, IReadOnlyList<string> columns, Func<SeedPlan, long> plannedRows, bool estimate)
{
    public string Name { get; } = name;
    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>Rows a plan gives this table (exact, or an estimate when <see cref="IsEstimate"/>).</summary>
    public long PlannedRows(SeedPlan plan) => plannedRows(plan);

    /// <summary>True when the row count follows drawn statuses (see <see cref="PlannedTable.IsEstimate"/>).</summary>
    public bool IsEstimate { get; } = estimate;

    public string CopyCommand => Copy("FORMAT BINARY");

    /// <summary>
    /// The COPY for a table truncated (or created) in the same transaction: its rows are written frozen, so no later
    /// vacuum has to, and on a server with <c>wal_level = minimal</c> the load writes no WAL.
    /// </summary>
    public string FreezingCopyCommand => Copy("FORMAT BINARY, FREEZE");

    private string Copy(string options) =>
        $"COPY \"{Name}\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) FROM STDIN ({options})";

    /// <summary>Streams this table's rows as batches of at most <paramref name="batchSize"/>.</summary>
    public abstract IEnumerable<RowBatch> Batches(SeedWorld world, int batchSize);

    /// <summary>All rows at once, in memory (the benchmark's raw-COPY baseline).</summary>
    public abstract RowBatch MaterializeAll(SeedWorld world);

    /// <summary>The rows as entity objects (the benchmark's EF Core baseline).</summary>
    public abstract IEnumerable<object> Entities(SeedWorld world);
}

/// <summary>A table whose rows are entities of type <typeparamref name="T"/> (the Clearway.Data entity classes).</summary>
internal sealed class TableSpec<T>(string name, IReadOnlyList<string> columns, Action<NpgsqlBinaryImporter, T> write,
    Func<SeedWorld, IEnumerable<T>> generate, Func<SeedPlan, long> plannedRows, bool estimate = false)
    : TableSpec(name, columns, plannedRows, estimate)
    where T : class
{
    public Action<NpgsqlBinaryImporter, T> Write { get; } = write;

    public IEnumerable<T> Generate(SeedWorld world) => generate(world);

    public override RowBatch MaterializeAll(SeedWorld world)
    {
        var rows = generate(world).ToArray();
        return new RowBatch<T>(this, rows, rows.Length);
    }

    public override IEnumerable<object> Entities(SeedWorld world) => generate(world);

    public override IEnumerable<RowBatch> Batches(SeedWorld world, int batchSize)
    {
        var rows = new T[batchSize];
        var count = 0;
        foreach (var row in generate(world))
        {
            rows[count++] = row;
            if (count == batchSize)
            {
                yield return new RowBatch<T>(this, rows, count);
                rows = new T[batchSize];
                count = 0;
            }
        }
        if (count > 0) yield return new RowBatch<T>(this, rows, count);
    }
}

/// <summary>Rows of one table on their way from the generator to COPY.</summary>
internal abstract class RowBatch(TableSpec table, int count)
{
    public TableSpec Table { get; } = table;
    public int Count { get; } = count;

    public abstract void WriteTo(NpgsqlBinaryImporter importer);
}

internal sealed class RowBatch<T>(TableSpec<T> table, T[] rows, int count) : RowBatch(table, count) where T : class
{
    public override void WriteTo(NpgsqlBinaryImporter importer)
    {
        var write = table.Write;
        for (var i = 0; i < Count; i++)
        {
            importer.StartRow();
            write(importer, rows[i]);
        }
    }
}

/// <summary>Typed, null-aware column writes for binary COPY.</summary>
internal static class ImporterExtensions
{
    public static void Text(this NpgsqlBinaryImporter w, string? value)
    {
        if (value is null) w.WriteNull();
        else w.Write(value, NpgsqlDbType.Text);
    }

    public static void Json(this NpgsqlBinaryImporter w, string? value)
    {
        if (value is null) w.WriteNull();
        else w.Write(value, NpgsqlDbType.Jsonb);
    }

    public static void Timestamp(this NpgsqlBinaryImporter w, DateTime value) => w.Write(value, NpgsqlDbType.Timestamp);

    public static void Timestamp(this NpgsqlBinaryImporter w, DateTime? value)
    {
        if (value is null) w.WriteNull();
        else w.Write(value.Value, NpgsqlDbType.Timestamp);
    }

    public static void Int(this NpgsqlBinaryImporter w, int value) => w.Write(value, NpgsqlDbType.Integer);

    public static void Int(this NpgsqlBinaryImporter w, int? value)
    {
        if (value is null) w.WriteNull();
        else w.Write(value.Value, NpgsqlDbType.Integer);
    }

    public static void Bool(this NpgsqlBinaryImporter w, bool value) => w.Write(value, NpgsqlDbType.Boolean);

    public static void Money(this NpgsqlBinaryImporter w, decimal value) => w.Write(value, NpgsqlDbType.Numeric);

    public static void Money(this NpgsqlBinaryImporter w, decimal? value)
    {
        if (value is null) w.WriteNull();
        else w.Write(value.Value, NpgsqlDbType.Numeric);
    }

    public static void TextArray(this NpgsqlBinaryImporter w, string[] value) => w.Write(value, NpgsqlDbType.Array | NpgsqlDbType.Text);
}
