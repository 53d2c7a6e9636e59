namespace Clearway.AppHost;

/// <summary>
/// The <c>clearway</c> database as a <c>DATABASE_URL</c> (<see cref="Clearway.DatabaseUrl"/>), whatever the mode: made from
/// its connection string when a resource starts, so every resource given the database gets it the way the Node/Prisma app
/// reads it (and the dashboard's Export .env lists it), and the dashboard can show it, hidden until asked.
/// </summary>
internal sealed class DatabaseUrlValue(IResourceWithConnectionString database) : IValueProvider, IManifestExpressionProvider, IValueWithReferences
{
    public string ValueExpression => $"{{{database.Name}.url}}";

    public IEnumerable<object> References => [database];

    public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
        await database.GetConnectionStringAsync(cancellationToken) is { } connectionString ? DatabaseUrl.From(connectionString) : null;
}
