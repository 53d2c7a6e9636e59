namespace Clearway.AppHost;

/// <summary>The resources of the app model, as the dashboard, the tests and the docs name them.</summary>
internal static class ResourceNames
{
    public const string Server = ClearwayPostgres.ServerName;
    public const string Database = ClearwayConnectionString.Name;
    public const string Migrations = "migrations";
    public const string Seeder = "seeder";
    public const string Manager = "dbmanager";
    public const string TestDatabases = "testdbs";
}
