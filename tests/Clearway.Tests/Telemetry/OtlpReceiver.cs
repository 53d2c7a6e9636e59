using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;

namespace Clearway.Tests.Telemetry;

/// <summary>
/// A small OTLP/HTTP receiver on 127.0.0.1 (a free port): POST /v1/traces, /v1/logs, /v1/metrics with
/// application/x-protobuf bodies (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf), answered 200 with an empty
/// protobuf body (an empty Export*ServiceResponse). Collects what arrives; <see cref="WaitForAsync{T}"/> completes
/// as soon as a matching item arrives.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private const string Protobuf = "application/x-protobuf";

    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly List<object> _items = [];
    private readonly List<(Func<object, bool> Matches, TaskCompletionSource<object> Arrived)> _waiters = [];
    private readonly List<string> _failures = [];

    private OtlpReceiver(HttpListener listener, int port)
    {
        _listener = listener;
        Endpoint = $"http://127.0.0.1:{port}";
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The value for OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public string Endpoint { get; }

    public IReadOnlyList<ReceivedSpan> Spans => Snapshot<ReceivedSpan>();
    public IReadOnlyList<ReceivedLog> Logs => Snapshot<ReceivedLog>();
    public IReadOnlyList<ReceivedMetric> Metrics => Snapshot<ReceivedMetric>();

    /// <summary>Requests the receiver refused or could not decode (expected empty).</summary>
    public IReadOnlyList<string> Failures { get { lock (_gate) return [.. _failures]; } }

    /// <summary>Every service.name seen on a resource.</summary>
    public IReadOnlySet<string> ServiceNames
    {
        get
        {
            lock (_gate)
            {
                return _items.Select(i => i switch
                {
                    ReceivedSpan s => s.ServiceName,
                    ReceivedLog l => l.ServiceName,
                    ReceivedMetric m => m.ServiceName,
                    _ => null,
                }).OfType<string>().ToHashSet();
            }
        }
    }

    public static OtlpReceiver Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new OtlpReceiver(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // the port was taken between probing and listening: try another
            }
        }
    }

    /// <summary>Completes with the first item of type <typeparamref name="T"/> matching <paramref name="predicate"/>, already received or arriving within <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Nothing matching arrived; the message lists what did.</exception>
    public async Task<T> WaitForAsync<T>(Func<T, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
        where T : class
    {
        bool Matches(object item) => item is T t && predicate(t);
        var arrived = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _items.FirstOrDefault(Matches);
            if (existing is not null)
                return (T)existing;
            _waiters.Add((Matches, arrived));
        }
        try
        {
            return (T)await arrived.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} arrived within {timeout.TotalSeconds:0.#}s. Received: {Describe()}");
        }
        finally
        {
            lock (_gate)
                _waiters.RemoveAll(w => w.Arrived == arrived);
        }
    }

    /// <summary>What arrived so far, one line per item (for assertion messages).</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var lines = _items.Select(i => i.ToString()).Concat(_failures.Select(f => "failure: " + f));
            return _items.Count + _failures.Count == 0 ? "nothing" : Environment.NewLine + string.Join(Environment.NewLine, lines);
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            await HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url?.AbsolutePath;
            if (request.HttpMethod != "POST" || path is not ("/v1/traces" or "/v1/logs" or "/v1/metrics"))
            {
                Reject(response, 404, $"{request.HttpMethod} {path}");
                return;
            }
            if (request.ContentType?.StartsWith(Protobuf, StringComparison.OrdinalIgnoreCase) != true)
            {
                Reject(response, 415, $"{path} with content type {request.ContentType}");
                return;
            }

            var body = await ReadBodyAsync(request);
            IEnumerable<object> items = path switch
            {
                "/v1/traces" => OtlpDecoder.Spans(body),
                "/v1/logs" => OtlpDecoder.Logs(body),
                _ => OtlpDecoder.Metrics(body),
            };
            Add(items);

            response.StatusCode = 200;
            response.ContentType = Protobuf;
            response.ContentLength64 = 0; // an empty Export*ServiceResponse: full success
        }
        catch (InvalidProtocolBufferException e)
        {
            Reject(response, 400, $"{request.Url?.AbsolutePath}: {e.Message}");
        }
        finally
        {
            response.Close();
        }
    }

    private static async Task<ByteString> ReadBodyAsync(HttpListenerRequest request)
    {
        var gzip = string.Equals(request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase);
        await using var source = gzip ? new GZipStream(request.InputStream, CompressionMode.Decompress) : request.InputStream;
        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer);
        return ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private void Add(IEnumerable<object> items)
    {
        lock (_gate)
        {
            foreach (var item in items)
            {
                _items.Add(item);
                foreach (var waiter in _waiters.Where(w => w.Matches(item)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Arrived.TrySetResult(item);
                }
            }
        }
    }

    private void Reject(HttpListenerResponse response, int status, string what)
    {
        lock (_gate)
            _failures.Add($"{status} {what}");
        response.StatusCode = status;
    }

    private List<T> Snapshot<T>()
    {
        lock (_gate)
            return [.. _items.OfType<T>()];
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop;
        _listener.Close();
    }
}
