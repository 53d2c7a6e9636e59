using System.Security.Cryptography;
using System.Threading.Channels;

namespace Clearway.States;

/// <summary>
/// Clones of one template, made ahead of time in the background (as IntegreSQL does) so a caller is usually handed one
/// that already exists; when the pool is empty the caller gets a clone made on the spot. Each clone is named with
/// <see cref="NamePrefix"/> and a random suffix, so its leftovers can be found.
/// </summary>
public sealed class ClonePool : IAsyncDisposable
{
    private readonly TemplateLease _template;
    private readonly Channel<string> _ready;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _filler;

    /// <param name="size">Clones kept ready; 0 turns the warm pool off.</param>
    public ClonePool(TemplateLease template, int size, string namePrefix)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentException.ThrowIfNullOrEmpty(namePrefix);
        _template = template;
        NamePrefix = namePrefix;
        _ready = Channel.CreateBounded<string>(new BoundedChannelOptions(Math.Max(size, 1)) { SingleWriter = true });
        _filler = size > 0 ? Task.Run(FillAsync) : Task.CompletedTask;
    }

    public string NamePrefix { get; }

    public TemplateLease Template => _template;

    /// <summary>Clones ready to hand out right now.</summary>
    public int ReadyCount => _ready.Reader.Count;

    /// <summary>A clone of the caller's own: a ready one (warm) or one made now.</summary>
    public async Task<(string Name, bool Warm)> TakeAsync(CancellationToken cancellationToken) =>
        _ready.Reader.TryRead(out var name) ? (name, true) : (await CloneAsync(cancellationToken), false);

    /// <summary>Waits up to <paramref name="wait"/> for a ready clone, else makes one now.</summary>
    public async Task<(string Name, bool Warm)> TakeAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_ready.Reader.TryRead(out var name))
            return (name, true);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(wait);
        try
        {
            return (await _ready.Reader.ReadAsync(limit.Token), true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (await CloneAsync(cancellationToken), false);
        }
    }

    private async Task<string> CloneAsync(CancellationToken cancellationToken)
    {
        var name = NamePrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await _template.CloneAsync(name, cancellationToken);
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
                    await _template.DropCloneAsync(name);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops filling and drops the clones nobody took.</summary>
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
                await _template.DropCloneAsync(name);
            _stop.Dispose();
        }
    }
}
