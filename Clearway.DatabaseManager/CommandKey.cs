using System.Security.Cryptography;
using System.Text;
using Clearway.Hosting;

namespace Clearway.DatabaseManager;

/// <summary>
/// The key the dashboard's commands carry (<see cref="ManagerApi.CommandKeyHeader"/>), given by the AppHost as <see cref="ManagerApi.CommandKeySetting"/>.
/// The endpoints listen on localhost, where every local account can reach them: without the key, a command is refused
/// before it takes a lock or touches the database.
/// </summary>
internal sealed class CommandKey(string? key)
{
    private readonly byte[]? _key = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);

    /// <summary>True when <paramref name="given"/> is the key (compared in constant time); always false when none is set.</summary>
    public bool Accepts(string? given) =>
        _key is not null && given is not null && CryptographicOperations.FixedTimeEquals(_key, Encoding.UTF8.GetBytes(given));
}

internal static class CommandKeyRegistration
{
    public static IServiceCollection AddCommandKey(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(new CommandKey(configuration[ManagerApi.CommandKeySetting]));

    /// <summary>Refuses a request without the key: 401, with nothing about the service in the answer.</summary>
    public static RouteGroupBuilder RequireCommandKey(this RouteGroupBuilder group) => group.AddEndpointFilter(async (context, next) =>
    {
        var key = context.HttpContext.RequestServices.GetRequiredService<CommandKey>();
        return key.Accepts(context.HttpContext.Request.Headers[ManagerApi.CommandKeyHeader].FirstOrDefault())
            ? await next(context)
            : Results.Unauthorized();
    });

    /// <summary>
    /// A command that stops on a failure answers its one line as a <see cref="CommandReply"/>: 409 for a refusal (nothing
    /// was changed), 500 for a failure of the work.
    /// </summary>
    public static RouteGroupBuilder AnswerFailures(this RouteGroupBuilder group) => group.AddEndpointFilter(async (context, next) =>
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is IClearwayFailure or Npgsql.NpgsqlException)
        {
            var failure = Failures.Describe(e);
            return Results.Json(new CommandReply(failure.Line, failure.Line),
                statusCode: failure.ExitCode == ExitCodes.Refused ? StatusCodes.Status409Conflict : StatusCodes.Status500InternalServerError);
        }
    });
}
