using System.Data.Common;
using Clearway.Data.Entities;
using Clearway.Data.Migrations.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Clearway.Data;

/// <summary>
/// The one place that knows how Clearway talks to PostgreSQL: enum mappings for both ADO.NET and EF Core,
/// and the migrations SQL generator that gives every foreign key ON UPDATE CASCADE.
/// </summary>
public static class ClearwayNpgsql
{
    /// <summary>Builds a data source with the Clearway enum types mapped (needed for binary COPY and raw reads).</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString) =>
        MapEnums(new NpgsqlDataSourceBuilder(connectionString)).Build();

    /// <summary>Maps the Clearway enum types on a data source builder (e.g. Aspire's <c>configureDataSourceBuilder</c>).</summary>
    public static NpgsqlDataSourceBuilder MapEnums(NpgsqlDataSourceBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.MapEnum<DocumentStatus>(nameof(DocumentStatus));
        builder.MapEnum<CapitalCallStatus>(nameof(CapitalCallStatus));
        return builder;
    }

    /// <summary>Configures EF Core for Clearway on the given connection string.</summary>
    public static DbContextOptionsBuilder UseClearway(this DbContextOptionsBuilder options, string connectionString,
        Action<NpgsqlDbContextOptionsBuilder>? npgsql = null) =>
        options
            .UseNpgsql(connectionString, o =>
            {
                MapEnums(o);
                npgsql?.Invoke(o);
            })
            .ReplaceService<IMigrationsSqlGenerator, ClearwayMigrationsSqlGenerator>();

    /// <summary>Configures EF Core for Clearway on a connection the caller owns (EF Core leaves it open).</summary>
    public static DbContextOptionsBuilder UseClearway(this DbContextOptionsBuilder options, DbConnection connection) =>
        options
            .UseNpgsql(connection, MapEnums)
            .ReplaceService<IMigrationsSqlGenerator, ClearwayMigrationsSqlGenerator>();

    private static void MapEnums(NpgsqlDbContextOptionsBuilder o)
    {
        o.MapEnum<DocumentStatus>(nameof(DocumentStatus));
        o.MapEnum<CapitalCallStatus>(nameof(CapitalCallStatus));
    }

    /// <summary>Options for a context on the given connection string.</summary>
    public static DbContextOptions<ClearwayDbContext> Options(string connectionString) =>
        (DbContextOptions<ClearwayDbContext>)new DbContextOptionsBuilder<ClearwayDbContext>().UseClearway(connectionString).Options;
}
