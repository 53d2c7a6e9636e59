using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations;

namespace Clearway.Data.Migrations.Infrastructure;

/// <summary>
/// Every Prisma foreign key is ON UPDATE CASCADE (SCHEMA.md section 1). EF Core's model has no notion of an
/// update rule, so the rule is applied here, once, to every foreign key the migrations create.
/// </summary>
#pragma warning disable EF1001 // Npgsql's generator and options live in Internal namespaces; this is the documented extension point.
public sealed class ClearwayMigrationsSqlGenerator(MigrationsSqlGeneratorDependencies dependencies, INpgsqlSingletonOptions npgsqlOptions)
    : NpgsqlMigrationsSqlGenerator(dependencies, npgsqlOptions)
#pragma warning restore EF1001
{
    protected override void ForeignKeyConstraint(AddForeignKeyOperation operation, IModel? model, MigrationCommandListBuilder builder)
    {
        operation.OnUpdate = ReferentialAction.Cascade;
        base.ForeignKeyConstraint(operation, model, builder);
    }
}
