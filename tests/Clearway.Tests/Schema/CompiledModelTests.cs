using Clearway.Data;
using Clearway.Data.CompiledModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Clearway.Tests.Schema;

/// <summary>EF Core's compiled model (Clearway.Data/CompiledModel) is what contexts use, and it is the model the code builds.</summary>
public sealed class CompiledModelTests
{
    private const string Regenerate =
        "the compiled model is stale: dotnet tool restore && dotnet ef dbcontext optimize --project Clearway.Data --output-dir CompiledModel --namespace Clearway.Data.CompiledModel";

    [Fact]
    public void Contexts_use_the_compiled_model()
    {
        using var context = new ClearwayDbContext(ClearwayNpgsql.Options("Host=localhost;Database=clearway"));

        Assert.IsType<ClearwayDbContextModel>(context.Model);
    }

    [Fact]
    public void The_compiled_model_matches_the_model_OnModelCreating_builds()
    {
        using var context = new ClearwayDbContext(ClearwayNpgsql.Options("Host=localhost;Database=clearway"));
        var built = context.GetService<IDesignTimeModel>().Model; // always built from OnModelCreating, never compiled

        var expected = Describe(built).Split('\n');
        var actual = Describe(context.Model).Split('\n');

        Assert.True(expected.Length > 300, "the description should cover every column, key, index and relationship");
        var missing = expected.Except(actual).Take(3).ToList();
        var extra = actual.Except(expected).Take(3).ToList();
        Assert.True(missing.Count + extra.Count == 0,
            $"{Regenerate}; built only: {string.Join(" | ", missing)}; compiled only: {string.Join(" | ", extra)}");
    }

    /// <summary>Every table, column (CLR type, store type, nullability), key, index, foreign key and navigation, one per line.</summary>
    private static string Describe(IModel model) => string.Join('\n', model.GetEntityTypes()
        .OrderBy(e => e.Name, StringComparer.Ordinal)
        .SelectMany(e => new[] { $"{e.Name} table {e.GetTableName()}" }
            .Concat(e.GetProperties().Select(p =>
                $"{e.Name}.{p.Name}: {p.ClrType.Name} column {p.GetColumnName()} {p.FindRelationalTypeMapping()?.StoreType} nullable={p.IsNullable} max={p.GetMaxLength()}"))
            .Concat(e.GetKeys().Select(k => $"{e.Name} key ({Columns(k.Properties)}) primary={k.IsPrimaryKey()}"))
            .Concat(e.GetIndexes().Select(i => $"{e.Name} index ({Columns(i.Properties)}) unique={i.IsUnique}"))
            .Concat(e.GetForeignKeys().Select(f =>
                $"{e.Name} foreign key ({Columns(f.Properties)}) -> {f.PrincipalEntityType.Name} ({Columns(f.PrincipalKey.Properties)}) {f.DeleteBehavior} required={f.IsRequired}"))
            .Concat(e.GetNavigations().Select(n => $"{e.Name}.{n.Name} -> {n.TargetEntityType.Name} collection={n.IsCollection}"))
            .Order(StringComparer.Ordinal)));

    private static string Columns(IEnumerable<IReadOnlyProperty> properties) => string.Join(", ", properties.Select(p => p.Name));
}
