using Microsoft.Extensions.Logging;

namespace Clearway.Testing.Databases;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Template {Template} {Outcome} in {ElapsedMs} ms ({Recipe}); clones use {Strategy}")]
    public static partial void TemplateReady(ILogger logger, string template, string outcome, long elapsedMs, string recipe, string strategy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kept test database {Database} for inspection: {ConnectionString}")]
    public static partial void KeptDatabase(ILogger logger, string database, string connectionString);
}
