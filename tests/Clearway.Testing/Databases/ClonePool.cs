using System.Security.Cryptography;
using System.Threading.Channels;
using Clearway.Data.Schema;

namespace Clearway.Testing.Databases;

/// <summary>
/// Clones of one template, made ahead of time in the background (as IntegreSQL does) so a test is usually
/// handed one that already exists; when the pool is empty the test gets a clone made on the spot.
/// </summary>
internal sealed class ClonePool : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly string _template;
    private readonly string _strategy;
    private readonly string _namePrefix;
    private readonly Channel<string> _ready;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _filler;

    public ClonePool(PostgresServer server, string template, string strategy, int size, string namePrefix)
    {
        _namePrefix = namePrefix;
        _server = server;
        _template = template;
        _strategy = strategy;
        _ready = Channel.CreateBounded<string>(new BoundedChannelOptions(Math.Max(size, 1)) { SingleWriter = true });
        _filler = size > 0 ? Task.Run(FillAsync) : Task.CompletedTask;
    }

    /// <summary>Clones ready to hand out right now.</summary>
    public int ReadyCount => _ready.Reader.Count;

    public async Task<(string Name, bool Warm)> TakeAsync(CancellationToken cancellationToken) =>
        _ready.Reader.TryRead(out var name) ? (name, true) : (await CloneAsync(cancellationToken), false);

    public async Task<string> CloneAsync(CancellationToken cancellationToken)
    {
        var name = _namePrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await _server.ExecuteAsync(
            $"CREATE DATABASE {PostgresIdentifier.Quote(name)} TEMPLATE {PostgresIdentifier.Quote(_template)} STRATEGY {_strategy}",
            cancellationToken);
        return name;
    }

    private async Task FillAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _ready.Writer.WaitToWriteAsync(_stop.Token);
                var name = await CloneAsync(_stop.Token);
                if (!_ready.Writer.TryWrite(name))
                    await _server.DropDatabaseAsync(name, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _filler;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _ready.Writer.TryComplete();
            while (_ready.Reader.TryRead(out var name))
                await _server.DropDatabaseAsync(name, CancellationToken.None);
            _stop.Dispose();
        }
    }
}
