using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clearway.TestDatabases;

/// <summary>
/// IntegreSQL's REST API v1 under a secret first path segment: <c>/&lt;token&gt;/api/v1/…</c>. Every answer is what
/// IntegreSQL gives, errors as <c>{"message": "…"}</c>; a request without the token gets 404 and learns nothing.
/// </summary>
public static partial class TestDatabaseEndpoints
{
    public static void MapClearwayTestDatabases(this IEndpointRouteBuilder app, string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var api = app.MapGroup($"/{token}/api/v1").AddEndpointFilter(AnswerFailures);
        api.MapPost("/templates", async (HttpRequest request, TestDatabaseService service, CancellationToken ct) =>
        {
            // A body may come with a length or chunked (as .NET's JsonContent sends it).
            var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
            if (hasBody && !request.HasJsonContentType())
                return Answer(new Outcome(415, new MessageJson("Unsupported Media Type")));
            InitializeRequest? body;
            try
            {
                body = hasBody ? await request.ReadFromJsonAsync<InitializeRequest>(ct) : null;
            }
            catch (System.Text.Json.JsonException e)
            {
                return Answer(new Outcome(400, new MessageJson($"Syntax error: {e.Message}")));
            }
            return string.IsNullOrWhiteSpace(body?.Hash)
                ? Answer(new Outcome(400, new MessageJson("hash is required")))
                : Answer(await service.InitializeAsync(body.Hash, ct));
        });
        api.MapPut("/templates/{hash}", async (string hash, TestDatabaseService service, CancellationToken ct) => Answer(await service.FinalizeAsync(hash, ct)));
        api.MapDelete("/templates/{hash}", async (string hash, TestDatabaseService service, CancellationToken ct) => Answer(await service.DiscardAsync(hash, ct)));
        api.MapGet("/templates/{hash}/tests", async (string hash, TestDatabaseService service, CancellationToken ct) => Answer(await service.TakeAsync(hash, ct)));
        api.MapPost("/templates/{hash}/tests/{id}/unlock", (string hash, string id, TestDatabaseService service) => WithId(id, n => service.Unlock(hash, n)));
        api.MapPost("/templates/{hash}/tests/{id}/recreate", (string hash, string id, TestDatabaseService service) => WithId(id, n => service.Recreate(hash, n)));
        // The older way to give a database back, which some clients still use: the same as unlock.
        api.MapDelete("/templates/{hash}/tests/{id}", (string hash, string id, TestDatabaseService service) => WithId(id, n => service.Unlock(hash, n)));
        api.MapDelete("/admin/templates", async (TestDatabaseService service, CancellationToken ct) => Answer(await service.DiscardAllAsync(ct)));
    }

    /// <summary>
    /// Every other request (no token, a wrong one, an unknown route) answers as IntegreSQL does an unknown path: 404
    /// <c>{"message":"Not Found"}</c>, the same whatever the path held, so a guess learns nothing.
    /// </summary>
    public static void MapNotFound(this IEndpointRouteBuilder app) =>
        app.MapFallback(() => Results.Json(new MessageJson("Not Found"), statusCode: StatusCodes.Status404NotFound));

    /// <summary>A failure of the work (the server went away, a clone failed) answers 500 with its one line, as IntegreSQL does; the trace goes to the log.</summary>
    private static async ValueTask<object?> AnswerFailures(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is IClearwayFailure or Npgsql.NpgsqlException or IOException)
        {
            var failure = Failures.Describe(e);
            LogRequestFailed(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TestDatabaseEndpoints)),
                e, context.HttpContext.Request.Method, failure.Line);
            return Results.Json(new MessageJson(failure.Line), statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A test database request ({Method}) failed: {Failure}")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string method, string failure);

    private static IResult WithId(string id, Func<int, Outcome> act) =>
        int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? Answer(act(n))
            : Answer(new Outcome(400, new MessageJson("invalid test database ID")));

    private static IResult Answer(Outcome outcome) =>
        outcome.Body is null ? Results.StatusCode(outcome.Status) : Results.Json(outcome.Body, statusCode: outcome.Status);
}
