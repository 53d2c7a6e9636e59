using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal;

namespace Clearway.Data.Migrator;

/// <summary>
/// Npgsql's history repository, except that each migration's transaction first takes the table-rewrite lock
/// (<see cref="AdvisoryLocks.TableRewrite"/>: a view refresh in progress finishes first, and none starts until the
/// step commits, instead of deadlocking with its DDL), and that the history table is created inside the first
/// migration's transaction, right before EF Core's lock on it, instead of being committed on its own ahead of it. So
/// a first migration that fails leaves the database exactly as it was: no empty history that could later pass for "ours".
/// </summary>
#pragma warning disable EF1001 // NpgsqlHistoryRepository lives in an Internal namespace; replacing it is how EF Core lets a provider's history be changed.
internal sealed class ClearwayHistoryRepository(HistoryRepositoryDependencies dependencies) : NpgsqlHistoryRepository(dependencies), IHistoryRepository
{
    bool IHistoryRepository.CreateIfNotExists() => false;

    Task<bool> IHistoryRepository.CreateIfNotExistsAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    public override IMigrationsDatabaseLock AcquireDatabaseLock()
    {
        Dependencies.RawSqlCommandBuilder.Build(AdvisoryLocks.RewriteTablesSql).ExecuteNonQuery(Parameters());
        Dependencies.RawSqlCommandBuilder.Build(GetCreateIfNotExistsScript()).ExecuteNonQuery(Parameters());
        return base.AcquireDatabaseLock();
    }

    public override async Task<IMigrationsDatabaseLock> AcquireDatabaseLockAsync(CancellationToken cancellationToken = default)
    {
        await Dependencies.RawSqlCommandBuilder.Build(AdvisoryLocks.RewriteTablesSql).ExecuteNonQueryAsync(Parameters(), cancellationToken);
        await Dependencies.RawSqlCommandBuilder.Build(GetCreateIfNotExistsScript()).ExecuteNonQueryAsync(Parameters(), cancellationToken);
        return await base.AcquireDatabaseLockAsync(cancellationToken);
    }

    private RelationalCommandParameterObject Parameters() =>
        new(Dependencies.Connection, null, null, Dependencies.CurrentContext.Context, Dependencies.CommandLogger, CommandSource.Migrations);
}
#pragma warning restore EF1001
