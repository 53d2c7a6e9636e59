namespace Clearway.Data.Migrations.Infrastructure;

/// <summary>Reads the readable <c>.sql</c> files under <c>Migrations/Sql</c> that are embedded in this assembly.</summary>
public static class EmbeddedSql
{
    public static string Read(string fileName)
    {
        var name = $"Clearway.Data.Sql.{fileName}";
        using var stream = typeof(EmbeddedSql).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded SQL resource '{name}' is missing from Clearway.Data.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
