using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace Clearway.Data.Conventions;

/// <summary>
/// Names every table, column, key, index and foreign key the way Prisma named them in the original
/// schema (SCHEMA.md section 1), so the Node app runs on our database unchanged. Applied once for the
/// whole model; a name set explicitly in a configuration (the snake_case <c>idx_*</c> indexes) wins.
/// </summary>
public sealed class PrismaNamingConvention : IModelFinalizingConvention
{
    public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
    {
        foreach (var entity in modelBuilder.Metadata.GetEntityTypes())
        {
            var table = entity.GetTableName() ?? entity.ClrType.Name;
            if (entity.GetTableNameConfigurationSource() != ConfigurationSource.Explicit)
            {
                table = entity.ClrType.Name;
                entity.Builder.ToTable(table);
            }

            foreach (var property in entity.GetProperties())
                property.Builder.HasColumnName(CamelCase(property.Name));

            foreach (var key in entity.GetKeys().Where(k => k.IsPrimaryKey()))
                key.Builder.HasName($"{table}_pkey");

            foreach (var foreignKey in entity.GetForeignKeys())
                foreignKey.Builder.HasConstraintName($"{table}_{Columns(foreignKey.Properties)}_fkey");

            // A named index (HasIndex(..., "name")) is already called what it must be called.
            foreach (var index in entity.GetIndexes().Where(i => i.Name is null))
                index.Builder.HasDatabaseName($"{table}_{Columns(index.Properties)}_{(index.IsUnique ? "key" : "idx")}");
        }
    }

    private static string Columns(IEnumerable<IConventionProperty> properties) =>
        string.Join('_', properties.Select(p => CamelCase(p.Name)));

    internal static string CamelCase(string name) =>
        string.IsNullOrEmpty(name) || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
