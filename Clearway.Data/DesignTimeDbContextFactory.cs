using Microsoft.EntityFrameworkCore.Design;

namespace Clearway.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without a running host; no connection is opened.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ClearwayDbContext>
{
    public ClearwayDbContext CreateDbContext(string[] args) =>
        new(ClearwayNpgsql.Options(
            Environment.GetEnvironmentVariable("ConnectionStrings__clearway")
            ?? "Host=localhost;Database=clearway;Username=postgres"));
}
