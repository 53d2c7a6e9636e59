using System.Text.Json.Serialization;

namespace Clearway.TestDatabases;

/// <summary>How a client connects to a database, as IntegreSQL writes it (<c>pkg/db/database_config.go</c>).</summary>
public sealed record DatabaseConfig(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("database")] string Database);

/// <summary>A database of a template: its hash and where it is.</summary>
public sealed record DatabaseJson(
    [property: JsonPropertyName("templateHash")] string TemplateHash,
    [property: JsonPropertyName("config")] DatabaseConfig Config);

/// <summary>The answer to initializing a template.</summary>
public sealed record TemplateDatabaseJson([property: JsonPropertyName("database")] DatabaseJson Database);

/// <summary>The answer to asking for a test database.</summary>
public sealed record TestDatabaseJson(
    [property: JsonPropertyName("database")] DatabaseJson Database,
    [property: JsonPropertyName("id")] int Id);

/// <summary>The body of a template to initialize.</summary>
public sealed record InitializeRequest([property: JsonPropertyName("hash")] string? Hash);

/// <summary>Every error, as echo writes it: a JSON object (the Go client decodes it before it looks at the status).</summary>
public sealed record MessageJson([property: JsonPropertyName("message")] string Message);
