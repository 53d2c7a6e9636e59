using System.CommandLine;
using System.Globalization;
using Clearway.CommandLine;
using Clearway.Data.Statistics;

namespace Clearway.Cli;

/// <summary>
/// <c>queries</c>, <c>indexes</c> and <c>explain</c>: the schema debugged where it runs, from the server's own statistics
/// (<see cref="DatabaseStatistics"/>) and plans (<see cref="Explainer"/>).
/// </summary>
internal static class StatisticsVerbs
{
    public static Command Queries(Func<CliRuntime> runtime)
    {
        var top = ClearwayOption.Typed("--top", $"How many statements, by total time [default: {DatabaseStatistics.DefaultTop}]", "N", ParseTop, "-n");
        var reset = ClearwayOption.Flag("--reset", "After printing them, start the statement and index statistics afresh");
        var connection = ClearwayOption.Connection();
        var command = new Command("queries",
            "The statements with the most total time since the statistics were reset (pg_stat_statements, normalized): calls, total, mean and max time, rows, buffer hit ratio.")
        {
            top, reset, connection,
        };
        command.WithExamples("clearway queries", "clearway queries --top 5", "clearway queries --reset          # print, then count afresh");
        command.SetAction((result, ct) => Commands.Run(runtime, async rt =>
        {
            var statistics = new DatabaseStatistics(await ConnectionResolver.ResolveAsync(result.GetValue(connection), rt, ct));
            var report = await statistics.TopAsync(result.GetResult(top) is null ? DatabaseStatistics.DefaultTop : result.GetValue(top), ct);
            await Console.Out.WriteLineAsync(report.ToString().TrimEnd());
            if (result.GetValue(reset))
                await Console.Out.WriteLineAsync(await statistics.ResetAsync(ct));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Indexes(Func<CliRuntime> runtime)
    {
        var connection = ClearwayOption.Connection();
        var command = new Command("indexes", "Indexes no query has scanned since the statistics were reset, with their size, and foreign keys with no index on their referencing columns.")
        {
            connection,
        };
        command.WithExamples("clearway indexes", "clearway queries --reset && npm test && clearway indexes   # what the tests never used");
        command.SetAction((result, ct) => Commands.Run(runtime, async rt =>
        {
            var statistics = new DatabaseStatistics(await ConnectionResolver.ResolveAsync(result.GetValue(connection), rt, ct));
            await Console.Out.WriteAsync((await statistics.IndexesAsync(ct)).ToString());
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Explain(Func<CliRuntime> runtime)
    {
        var sql = new Argument<string>("sql") { Description = "One SQL statement, quoted" };
        var connection = ClearwayOption.Connection();
        var command = new Command("explain",
            "EXPLAIN (ANALYZE, BUFFERS) of one statement: the plan and what it really did. It runs in a transaction that is always rolled back, so a write changes nothing.")
        {
            sql, connection,
        };
        command.WithExamples(
            "clearway explain \"SELECT * FROM \\\"CapitalCall\\\" WHERE \\\"status\\\" = 'APPROVED' ORDER BY \\\"dueDate\\\" LIMIT 20\"",
            "clearway explain \"UPDATE \\\"Payment\\\" SET \\\"status\\\" = 'FAILED'\"   # rolled back: nothing changes");
        command.SetAction((result, ct) => Commands.Run(runtime, async rt =>
        {
            var statement = Explainer.CheckStatement(result.GetValue(sql));
            var plan = await Explainer.ExplainAsync(await ConnectionResolver.ResolveAsync(result.GetValue(connection), rt, ct), statement, ct);
            foreach (var line in plan)
                await Console.Out.WriteLineAsync(line);
            await Console.Out.WriteLineAsync("Rolled back: nothing the statement did was kept.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int ParseTop(string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new FormatException("--top is empty: give it a value or leave it out")
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var top) && DatabaseStatistics.CheckTop(top) is null ? top
        : throw new FormatException($"--top must be a whole number from 1 to {DatabaseStatistics.MaxTop} (got '{text}'); leave it out for {DatabaseStatistics.DefaultTop}");
}
