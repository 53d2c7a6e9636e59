namespace Clearway.Tests.Telemetry;

/// <summary>A span as the OTLP receiver decoded it: resource service.name, instrumentation scope, name, attributes.</summary>
public sealed record ReceivedSpan(string? ServiceName, string Scope, string Name, IReadOnlyDictionary<string, object?> Attributes);

/// <summary>A log record: scope is the logger category; attributes carry the structured-log template arguments.</summary>
public sealed record ReceivedLog(string? ServiceName, string Scope, string? Severity, object? Body, IReadOnlyDictionary<string, object?> Attributes);

/// <summary>A metric (name only) with the meter that published it as scope.</summary>
public sealed record ReceivedMetric(string? ServiceName, string Scope, string Name);
