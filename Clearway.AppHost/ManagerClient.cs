using System.Net.Http.Json;
using Clearway.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Clearway.AppHost;

/// <summary>
/// The AppHost's calls to the manager that are not one of its HTTP commands (the state shown on <c>clearway</c>, the
/// snapshot list of a dialog, the commands on <c>clearway</c>): its endpoint, with the command key.
/// </summary>
internal sealed class ManagerClient(IResourceBuilder<ProjectResource> manager, IResourceBuilder<ParameterResource> commandKey)
{
    public async Task<T> GetAsync<T>(IServiceProvider services, string path, CancellationToken ct)
    {
        using var response = await SendAsync(services, HttpMethod.Get, path, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(ct) ?? throw new System.Text.Json.JsonException($"{path} answered nothing");
    }

    /// <summary>A command the manager answers with a <see cref="CommandReply"/>, as the dashboard shows a command's result.</summary>
    public async Task<ExecuteCommandResult> CommandAsync(IServiceProvider services, string path, CancellationToken ct)
    {
        try
        {
            using var response = await SendAsync(services, HttpMethod.Post, path, ct);
            return await DatabaseCommands.ReplyAsync(response, ct);
        }
        catch (HttpRequestException e)
        {
            return CommandResults.Failure($"The database manager did not answer: {e.Message}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(IServiceProvider services, HttpMethod method, string path, CancellationToken ct)
    {
        using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient();
        using var request = new HttpRequestMessage(method, new Uri(new Uri(manager.GetEndpoint("http").Url), path));
        request.Headers.Add(ManagerApi.CommandKeyHeader, await commandKey.Resource.GetValueAsync(ct));
        return await http.SendAsync(request, ct);
    }
}
