using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Clearway.Data.Migrator;

/// <summary>
/// The migrations compiled into this build, in order, and the EF Core services that turn one into SQL.
/// Built on a context whose connection is never opened: generating SQL needs no database.
/// </summary>
internal sealed class MigrationCatalog : IDisposable
{
    private readonly ClearwayDbContext _context;
    private readonly IMigrationsAssembly _assembly;
    private readonly IMigrationsSqlGenerator _sqlGenerator;
    private readonly IHistoryRepository _history;
    private readonly IModelRuntimeInitializer _modelInitializer;
    private readonly string _provider;

    public MigrationCatalog(string connectionString)
    {
        _context = new ClearwayDbContext(ClearwayNpgsql.Options(connectionString));
        _assembly = _context.GetService<IMigrationsAssembly>();
        _sqlGenerator = _context.GetService<IMigrationsSqlGenerator>();
        _history = _context.GetService<IHistoryRepository>();
        _modelInitializer = _context.GetService<IModelRuntimeInitializer>();
        _provider = _context.Database.ProviderName!;
        All = _assembly.Migrations
            .Select(m => new MigrationInfo(m.Key, NameOf(m.Key), Schema.SchemaManifest.VersionOf(m.Key) ?? "?"))
            .ToList();
    }

    /// <summary>Every migration of this build, oldest first.</summary>
    public IReadOnlyList<MigrationInfo> All { get; }

    public IMigrator Migrator => _context.GetService<IMigrator>();

    public string CreateHistoryTableSql => _history.GetCreateIfNotExistsScript();

    /// <summary>Finds a migration by name, id or version; "0" means before the first. Throws (exit 2) when unknown.</summary>
    public MigrationInfo? Resolve(string nameIdOrVersion, string what)
    {
        if (nameIdOrVersion == "0")
            return null;
        var match = All.FirstOrDefault(m => string.Equals(m.Id, nameIdOrVersion, StringComparison.OrdinalIgnoreCase))
            ?? All.FirstOrDefault(m => string.Equals(m.Name, nameIdOrVersion, StringComparison.OrdinalIgnoreCase))
            ?? All.FirstOrDefault(m => m.Version == nameIdOrVersion);
        return match ?? throw MigratorException.Configuration(
            $"{what} names migration '{nameIdOrVersion}', which this build does not have; known: 0, {string.Join(", ", All.Select(m => m.Name))}.");
    }

    /// <summary>The statements of one migration's Up, and the history insert.</summary>
    public MigrationSql UpSql(MigrationInfo migration)
    {
        var m = Create(migration);
        var commands = _sqlGenerator.Generate(m.UpOperations, Finalize(m.TargetModel));
        return new MigrationSql(commands, _history.GetInsertScript(new HistoryRow(migration.Id, ProductInfo.GetVersion())));
    }

    /// <summary>The statements of one migration's Down (to <paramref name="previous"/>'s model), and the history delete.</summary>
    public MigrationSql DownSql(MigrationInfo migration, MigrationInfo? previous)
    {
        var m = Create(migration);
        var model = previous is null ? null : Finalize(Create(previous).TargetModel);
        var commands = _sqlGenerator.Generate(m.DownOperations, model);
        return new MigrationSql(commands, _history.GetDeleteScript(migration.Id));
    }

    /// <summary>Tables that this migration's Down drops.</summary>
    public IReadOnlyList<string> TablesDroppedByDown(MigrationInfo migration) =>
        Create(migration).DownOperations
            .OfType<DropTableOperation>()
            .Select(o => o.Name)
            .ToList();

    private Migration Create(MigrationInfo migration) =>
        _assembly.CreateMigration(_assembly.Migrations[migration.Id], _provider);

    private IModel? Finalize(IModel? model) =>
        model is null ? null : _modelInitializer.Initialize(model);

    private static string NameOf(string id) => id.Length > 15 && id[14] == '_' ? id[15..] : id;

    public void Dispose() => _context.Dispose();
}

/// <summary>A migration step's statements and its history-table bookkeeping statement.</summary>
internal sealed record MigrationSql(IReadOnlyList<MigrationCommand> Commands, string HistorySql);
