namespace Clearway.AppHost.Tests;

/// <summary>Runs a resource's command as the dashboard does (ResourceCommandService), with the inputs a user would fill in.</summary>
internal static class CommandRuns
{
    public static async Task<ExecuteCommandResult> ExecuteCommandAsync(this DistributedApplication app, string resource, string command, CancellationToken ct,
        params (string Name, string Value)[] arguments)
    {
        var service = app.Services.GetRequiredService<ResourceCommandService>();
        // The command must be enabled first: right after another command, the resources it runs may still be settling.
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.Commands.Any(c => c.Name == command && c.State == ResourceCommandState.Enabled), ct);
        if (arguments.Length == 0)
            return await service.ExecuteCommandAsync(resource, command, ct);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource);
        var declared = model.Annotations.OfType<ResourceCommandAnnotation>().Single(a => a.Name == command).Arguments;
        var inputs = declared.Select(d => new Aspire.Hosting.InteractionInput
        {
            Name = d.Name, InputType = d.InputType, Label = d.Label, Options = d.Options, Required = d.Required, DynamicLoading = d.DynamicLoading,
            Value = arguments.Single(a => a.Name == d.Name).Value,
        }).ToList();
        return await service.ExecuteCommandAsync(resource, command, new Aspire.Hosting.InteractionInputCollection(inputs), ct);
    }
}
