using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Clearway.Data.Migrator;

/// <summary>
/// What EF Core makes of one migration on a context: the statements of its Up or Down (so the migrator can count
/// them and refuse a non-transactional one before EF runs it) and the tables its Down drops (the rollback guard).
/// </summary>
internal sealed class MigrationCatalog(DbContext context)
{
    private readonly IMigrationsAssembly _assembly = context.GetService<IMigrationsAssembly>();
    private readonly IMigrationsSqlGenerator _sqlGenerator = context.GetService<IMigrationsSqlGenerator>();
    private readonly IModelRuntimeInitializer _modelInitializer = context.GetService<IModelRuntimeInitializer>();
    private readonly string _provider = context.Database.ProviderName!;

    /// <summary>The statements of one migration's Up.</summary>
    public IReadOnlyList<MigrationCommand> UpSql(MigrationInfo migration)
    {
        var m = Create(migration);
        return _sqlGenerator.Generate(m.UpOperations, Finalize(m.TargetModel));
    }

    /// <summary>The statements of one migration's Down (to the previous migration's model).</summary>
    public IReadOnlyList<MigrationCommand> DownSql(MigrationInfo migration)
    {
        var previous = MigrationList.Previous(migration);
        var model = previous is null ? null : Finalize(Create(previous).TargetModel);
        return _sqlGenerator.Generate(Create(migration).DownOperations, model);
    }

    /// <summary>Tables that this migration's Down drops.</summary>
    public IReadOnlyList<string> TablesDroppedByDown(MigrationInfo migration) =>
        Create(migration).DownOperations.OfType<DropTableOperation>().Select(o => o.Name).ToList();

    private Migration Create(MigrationInfo migration) =>
        _assembly.CreateMigration(_assembly.Migrations[migration.Id], _provider);

    private IModel? Finalize(IModel? model) => model is null ? null : _modelInitializer.Initialize(model);
}
