namespace Clearway.Testing;

/// <summary>
/// One <see cref="PostgresServer"/> per test process, however many fixtures ask for it: started by the first
/// <see cref="AcquireAsync"/>, stopped when the last holder releases it.
/// </summary>
internal static class SharedPostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _server;
    private static int _holders;

    public static async Task<PostgresServer> AcquireAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            _server ??= await PostgresServer.StartAsync(cancellationToken: cancellationToken);
            _holders++;
            return _server;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async ValueTask ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_holders > 0 || _server is null)
                return;
            await _server.DisposeAsync();
            _server = null;
        }
        finally
        {
            Gate.Release();
        }
    }
}
