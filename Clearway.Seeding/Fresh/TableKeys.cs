using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.Seeding.Fresh;

/// <summary>
/// Every index, primary and unique key and foreign key of the 28 tables, read from the catalog (<c>pg_get_indexdef</c>,
/// <c>pg_get_constraintdef</c>), dropped before a fresh load and built again after it: a sorted build of each index
/// once is far cheaper than maintaining it row by row, and a foreign key validated by one join cheaper than by a
/// trigger per row.
/// </summary>
internal sealed class TableKeys
{
    private TableKeys(IReadOnlyList<KeyDefinition> keys, IReadOnlyList<KeyDefinition> indexes, IReadOnlyList<KeyDefinition> foreignKeys)
    {
        Keys = keys;
        Indexes = indexes;
        ForeignKeys = foreignKeys;
    }

    /// <summary>Primary keys and unique constraints (what foreign keys refer to).</summary>
    public IReadOnlyList<KeyDefinition> Keys { get; }

    /// <summary>Indexes that are not a constraint's (plain and unique).</summary>
    public IReadOnlyList<KeyDefinition> Indexes { get; }

    public IReadOnlyList<KeyDefinition> ForeignKeys { get; }

    public int Count => Keys.Count + Indexes.Count + ForeignKeys.Count;

    /// <summary>Reads the definitions of <paramref name="tables"/>' keys and drops them all (foreign keys first).</summary>
    public static async Task<TableKeys> DropAsync(NpgsqlConnection connection, IReadOnlyCollection<string> tables, CancellationToken ct)
    {
        var names = tables.ToArray();
        var constraints = new List<(string Table, string Name, char Type, string Definition)>();
        await using (var command = new NpgsqlCommand("""
            SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname = ANY (@tables) AND c.contype IN ('p', 'u', 'f')
            ORDER BY t.relname, c.conname
            """, connection) { CommandTimeout = 0 })
        {
            command.Parameters.AddWithValue("tables", names);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                constraints.Add((reader.GetString(0), reader.GetString(1), reader.GetChar(2), reader.GetString(3)));
        }

        var indexes = new List<KeyDefinition>();
        await using (var command = new NpgsqlCommand("""
            SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname = ANY (@tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x'))
            ORDER BY t.relname, i.relname
            """, connection) { CommandTimeout = 0 })
        {
            command.Parameters.AddWithValue("tables", names);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                indexes.Add(new KeyDefinition(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        var foreignKeys = constraints.Where(c => c.Type == 'f').Select(c => Constraint(c.Table, c.Name, c.Definition, notValid: true)).ToList();
        var keys = constraints.Where(c => c.Type != 'f').Select(c => Constraint(c.Table, c.Name, c.Definition, notValid: false)).ToList();

        foreach (var key in foreignKeys.Concat(keys))
            await SeedSql.ExecuteAsync(connection, $"ALTER TABLE public.{PostgresIdentifier.Quote(key.Table)} DROP CONSTRAINT {PostgresIdentifier.Quote(key.Name)}", ct);
        foreach (var index in indexes)
            await SeedSql.ExecuteAsync(connection, $"DROP INDEX public.{PostgresIdentifier.Quote(index.Name)}", ct);
        return new TableKeys(keys, indexes, foreignKeys);
    }

    /// <summary>
    /// The statement that adds a constraint back. A foreign key comes back <c>NOT VALID</c> (instant, on one
    /// connection: adding takes locks on both tables), then <see cref="Validate"/> checks it: validations lock
    /// nothing against each other, so they run in parallel without deadlocks.
    /// </summary>
    private static KeyDefinition Constraint(string table, string name, string definition, bool notValid) =>
        new(table, name, $"ALTER TABLE public.{PostgresIdentifier.Quote(table)} ADD CONSTRAINT {PostgresIdentifier.Quote(name)} {definition}{(notValid ? " NOT VALID" : "")}");

    public static string Validate(KeyDefinition foreignKey) =>
        $"ALTER TABLE public.{PostgresIdentifier.Quote(foreignKey.Table)} VALIDATE CONSTRAINT {PostgresIdentifier.Quote(foreignKey.Name)}";
}

/// <summary>One index or constraint of a table and the statement that creates it.</summary>
internal sealed record KeyDefinition(string Table, string Name, string Sql);
