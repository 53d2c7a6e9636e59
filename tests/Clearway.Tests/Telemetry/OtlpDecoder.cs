using Google.Protobuf;

namespace Clearway.Tests.Telemetry;

/// <summary>
/// Walks just enough of the OTLP export requests (opentelemetry-proto, collector/*/v1 and trace|logs|metrics/v1)
/// to read names, scopes, attributes, log bodies and service.name. Unknown fields are skipped.
/// </summary>
internal static class OtlpDecoder
{
    private delegate bool FieldReader(CodedInputStream input, int field, WireFormat.WireType wireType);

    // ExportTraceServiceRequest.resource_spans=1 -> ResourceSpans{resource=1, scope_spans=2}
    // -> ScopeSpans{scope=1, spans=2} -> Span{name=5, attributes=9}
    public static List<ReceivedSpan> Spans(ByteString request) => Resources(request, (service, scopes) =>
        Scoped(scopes, (scope, span) =>
        {
            string name = "";
            var attributes = new Dictionary<string, object?>();
            Walk(span, (input, field, type) => field switch
            {
                5 when type == Bytes => Set(out name, input.ReadString()),
                9 when type == Bytes => AddAttribute(attributes, input.ReadBytes()),
                _ => false,
            });
            return new ReceivedSpan(service, scope, name, attributes);
        }));

    // ExportLogsServiceRequest.resource_logs=1 -> ResourceLogs{resource=1, scope_logs=2}
    // -> ScopeLogs{scope=1, log_records=2} -> LogRecord{severity_text=3, body=5, attributes=6}
    public static List<ReceivedLog> Logs(ByteString request) => Resources(request, (service, scopes) =>
        Scoped(scopes, (scope, record) =>
        {
            string? severity = null;
            object? body = null;
            var attributes = new Dictionary<string, object?>();
            Walk(record, (input, field, type) => field switch
            {
                3 when type == Bytes => Set(out severity, input.ReadString()),
                5 when type == Bytes => Set(out body, AnyValue(input.ReadBytes())),
                6 when type == Bytes => AddAttribute(attributes, input.ReadBytes()),
                _ => false,
            });
            return new ReceivedLog(service, scope, severity, body, attributes);
        }));

    // ExportMetricsServiceRequest.resource_metrics=1 -> ResourceMetrics{resource=1, scope_metrics=2}
    // -> ScopeMetrics{scope=1, metrics=2} -> Metric{name=1}
    public static List<ReceivedMetric> Metrics(ByteString request) => Resources(request, (service, scopes) =>
        Scoped(scopes, (scope, metric) =>
        {
            string name = "";
            Walk(metric, (input, field, type) => field == 1 && type == Bytes && Set(out name, input.ReadString()));
            return new ReceivedMetric(service, scope, name);
        }));

    private const WireFormat.WireType Bytes = WireFormat.WireType.LengthDelimited;

    /// <summary>Export*ServiceRequest field 1 is the repeated Resource*; each has resource=1 and scope_*=2.</summary>
    private static List<T> Resources<T>(ByteString request, Func<string?, List<ByteString>, IEnumerable<T>> perResource)
    {
        var items = new List<T>();
        Walk(request, (input, field, type) =>
        {
            if (field != 1 || type != Bytes)
                return false;
            string? service = null;
            var scopes = new List<ByteString>();
            Walk(input.ReadBytes(), (inner, f, t) => (f, t) switch
            {
                (1, Bytes) => Set(out service, ServiceName(inner.ReadBytes())),
                (2, Bytes) => Add(scopes, inner.ReadBytes()),
                _ => false,
            });
            items.AddRange(perResource(service, scopes));
            return true;
        });
        return items;
    }

    /// <summary>Scope* messages: scope=1 (InstrumentationScope, name=1), the items=2.</summary>
    private static IEnumerable<T> Scoped<T>(List<ByteString> scopes, Func<string, ByteString, T> item)
    {
        foreach (var scopeMessage in scopes)
        {
            string scopeName = "";
            var raw = new List<ByteString>();
            Walk(scopeMessage, (input, field, type) => (field, type) switch
            {
                (1, Bytes) => Set(out scopeName, ScopeName(input.ReadBytes())),
                (2, Bytes) => Add(raw, input.ReadBytes()),
                _ => false,
            });
            foreach (var r in raw)
                yield return item(scopeName, r);
        }
    }

    private static string ScopeName(ByteString scope)
    {
        string name = "";
        Walk(scope, (input, field, type) => field == 1 && type == Bytes && Set(out name, input.ReadString()));
        return name;
    }

    /// <summary>Resource{attributes=1}: the value of service.name.</summary>
    private static string? ServiceName(ByteString resource)
    {
        var attributes = new Dictionary<string, object?>();
        Walk(resource, (input, field, type) => field == 1 && type == Bytes && AddAttribute(attributes, input.ReadBytes()));
        return attributes.GetValueOrDefault("service.name") as string;
    }

    /// <summary>KeyValue{key=1, value=2 AnyValue}.</summary>
    private static bool AddAttribute(Dictionary<string, object?> attributes, ByteString keyValue)
    {
        string key = "";
        object? value = null;
        Walk(keyValue, (input, field, type) => (field, type) switch
        {
            (1, Bytes) => Set(out key, input.ReadString()),
            (2, Bytes) => Set(out value, AnyValue(input.ReadBytes())),
            _ => false,
        });
        attributes[key] = value;
        return true;
    }

    /// <summary>AnyValue oneof: string=1, bool=2, int=3, double=4, array=5 (ArrayValue{values=1}), bytes=7.</summary>
    private static object? AnyValue(ByteString anyValue)
    {
        object? value = null;
        Walk(anyValue, (input, field, type) => (field, type) switch
        {
            (1, Bytes) => Set(out value, input.ReadString()),
            (2, WireFormat.WireType.Varint) => Set(out value, input.ReadBool()),
            (3, WireFormat.WireType.Varint) => Set(out value, input.ReadInt64()),
            (4, WireFormat.WireType.Fixed64) => Set(out value, input.ReadDouble()),
            (5, Bytes) => Set(out value, ArrayValue(input.ReadBytes())),
            (7, Bytes) => Set(out value, input.ReadBytes().ToByteArray()),
            _ => false,
        });
        return value;
    }

    private static List<object?> ArrayValue(ByteString array)
    {
        var values = new List<object?>();
        Walk(array, (input, field, type) => field == 1 && type == Bytes && Add(values, AnyValue(input.ReadBytes())));
        return values;
    }

    /// <summary>Reads every field of <paramref name="message"/>; fields the reader does not consume are skipped.</summary>
    private static void Walk(ByteString message, FieldReader read)
    {
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!read(input, WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag)))
                input.SkipLastField();
        }
    }

    private static bool Set<T>(out T target, T value)
    {
        target = value;
        return true;
    }

    private static bool Add<T>(List<T> list, T value)
    {
        list.Add(value);
        return true;
    }
}
