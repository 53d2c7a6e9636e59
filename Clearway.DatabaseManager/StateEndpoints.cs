using System.Globalization;
using Clearway.Hosting;
using Clearway.Seeding;
using Clearway.States;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Clearway.DatabaseManager;

/// <summary>
/// The dashboard's state commands (<see cref="ManagerApi"/>): reseed, reset, snapshots and the state shown on the
/// <c>clearway</c> resource, all through <see cref="DatabaseStates"/> (the template store, the swap). A command that ended
/// the database's sessions (a swap, a snapshot's copy) empties the pool of the manager's own data source.
/// </summary>
internal static class StateEndpoints
{
    public static void MapStateEndpoints(this RouteGroupBuilder commands)
    {
        commands.MapPost(ManagerApi.ReseedPath, async (SeedRequest request, DatabaseStates states, NpgsqlDataSource live, CancellationToken ct) =>
        {
            var seed = SeedOptions.Parse(request.Profile, request.Seed, request.Scale, request.AsOf, reset: true);
            var result = await states.SeedAsync(seed, progress: null, ct);
            live.Clear();
            return Results.Json(new CommandReply($"Reseeded: {result.Message}.", result.Message));
        });
        commands.MapPost(ManagerApi.ResetPath, async (DatabaseStates states, IOptions<SeederOptions> defaults, NpgsqlDataSource live, CancellationToken ct) =>
        {
            var change = await states.ResetAsync(defaults.Value.ToSeedOptions() with { Reset = true }, ct);
            live.Clear();
            return Results.Json(new CommandReply($"Reset to {change.Describe()}.", change.Describe()));
        });
        commands.MapGet(ManagerApi.StatePath, async (DatabaseStates states, CancellationToken ct) =>
        {
            var summary = await states.DescribeAsync(ct);
            return Results.Json(new StateReply(summary.Database, summary.Live?.Describe(),
                summary.States.Count(s => s.Label.Kind == StateKind.Template), summary.States.Count(s => s.Label.Kind == StateKind.Snapshot), summary.StoreBytes));
        });
        commands.MapGet(ManagerApi.SnapshotsPath, async (DatabaseStates states, CancellationToken ct) =>
            Results.Json((await states.Snapshots.ListAsync(ct)).Select(s => new SnapshotItem(s.Label.Name!, s.Label.Describe(), s.Bytes, s.Label.CreatedAt))));
        commands.MapPost(ManagerApi.SnapshotsPath, async (SnapshotRequest request, DatabaseStates states, TimeProvider time, NpgsqlDataSource live, CancellationToken ct) =>
        {
            var name = string.IsNullOrWhiteSpace(request.Name) ? Snapshots.DefaultName(time.GetUtcNow()) : request.Name.Trim();
            var saved = await states.Snapshots.SaveAsync(name, ct);
            live.Clear(); // the copy ended every session on the database
            var line = $"Saved snapshot {name} ({Megabytes(saved.Bytes)}, {saved.Label.Recipe ?? "no seed marker"}).";
            return Results.Json(new CommandReply(line, line));
        });
        commands.MapPost(ManagerApi.RestorePath, async (SnapshotRequest request, DatabaseStates states, NpgsqlDataSource live, CancellationToken ct) =>
        {
            var restored = await states.Snapshots.RestoreAsync(Snapshots.CheckName(request.Name), request.Migrate, ct);
            live.Clear();
            var forward = restored.MigratedForward.Count == 0 ? "" : $"; it predated {restored.MigratedForward.Count} migration(s), now applied: {string.Join(", ", restored.MigratedForward)}";
            var line = string.Create(CultureInfo.InvariantCulture, $"Restored snapshot {restored.Name} in {restored.Elapsed.TotalSeconds:0.0} s{forward}.");
            return Results.Json(new CommandReply(line, line));
        });
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MB");
}
