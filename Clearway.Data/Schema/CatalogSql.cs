namespace Clearway.Data.Schema;

/// <summary>The catalog queries behind <see cref="CatalogSnapshot"/>; all limited to the <c>public</c> schema.</summary>
internal static class CatalogSql
{
    public const string Columns = """
        SELECT c.relname, c.relkind = 'm', a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relkind IN ('r', 'p', 'm')
        ORDER BY c.relname, a.attnum
        """;

    // Key columns in order, each with " DESC" when indoption's first bit says so.
    public const string Indexes = """
        SELECT i.relname, t.relname, ix.indisunique, ix.indisprimary, ix.indpred IS NOT NULL,
               ARRAY(SELECT trim(both '"' from pg_get_indexdef(ix.indexrelid, k + 1, true))
                            || CASE WHEN ix.indoption[k] & 1 = 1 THEN ' DESC' ELSE '' END
                     FROM generate_subscripts(ix.indkey, 1) AS k ORDER BY k)
        FROM pg_index ix
        JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
        ORDER BY i.relname
        """;

    public const string ForeignKeys = """
        SELECT con.conname, c.relname, a.attname, rc.relname, con.confdeltype, con.confupdtype
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_class rc ON rc.oid = con.confrelid
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
        WHERE con.contype = 'f'
        ORDER BY con.conname
        """;

    public const string Enums = """
        SELECT t.typname, e.enumlabel
        FROM pg_enum e
        JOIN pg_type t ON t.oid = e.enumtypid
        JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
        ORDER BY t.typname, e.enumsortorder
        """;
}
