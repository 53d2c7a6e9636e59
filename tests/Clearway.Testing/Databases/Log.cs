using Microsoft.Extensions.Logging;

namespace Clearway.Testing.Databases;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Kept test database {Database} for inspection: {ConnectionString}")]
    public static partial void KeptDatabase(ILogger logger, string database, string connectionString);
}
