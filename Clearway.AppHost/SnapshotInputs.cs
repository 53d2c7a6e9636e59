using System.Net.Http.Json;
using Clearway.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Clearway.AppHost;

/// <summary>The snapshot dialogs: a name to save under, and the snapshots there are to restore (listed when the dialog opens).</summary>
internal sealed class SnapshotInputs(ManagerClient manager)
{
    public const string Name = "name";
    public const string Migrate = "migrate";

    public static IReadOnlyList<InteractionInput> SaveInputs { get; } =
    [
        new InteractionInput
        {
            Name = Name, Label = "Name", InputType = InputType.Text, Required = false, Placeholder = "the time, e.g. 2026-12-07-101500",
            Description = "1 to 40 letters, digits, '-', '_' or '.'; left empty, the time.",
        },
    ];

    public static SnapshotRequest SaveRequest(InteractionInputCollection submitted) => new(submitted.GetString(Name));

    public static SnapshotRequest RestoreRequest(InteractionInputCollection submitted) =>
        new(submitted.GetString(Name), bool.TryParse(submitted.GetString(Migrate), out var migrate) && migrate);

    public IReadOnlyList<InteractionInput> RestoreInputs =>
    [
        new InteractionInput
        {
            Name = Name, Label = "Snapshot", InputType = InputType.Choice, Required = true,
            DynamicLoading = new InputLoadOptions { LoadCallback = LoadSnapshotsAsync },
        },
        new InteractionInput
        {
            Name = Migrate, Label = "Migrate forward", InputType = InputType.Boolean, Value = "true",
            Description = "A snapshot taken before migrations of this build gets them applied; off, such a restore is refused.",
        },
    ];

    /// <summary>The snapshots, from the manager, when the dialog opens.</summary>
    private async Task LoadSnapshotsAsync(LoadInputContext context)
    {
        var items = await manager.GetAsync<List<SnapshotItem>>(context.Services, ManagerApi.SnapshotsPath, context.CancellationToken);
        context.Input.Options = items.Select(s => KeyValuePair.Create(s.Name, $"{s.Name}: {s.Describe} ({s.CreatedAt:yyyy-MM-dd HH:mm})")).ToList();
    }
}
