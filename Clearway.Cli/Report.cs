using System.Globalization;
using System.Text;
using Clearway.Data.Schema;
using Clearway.Postgres;
using Npgsql;
using Spectre.Console;

namespace Clearway.Cli;

/// <summary>One step of <c>up</c>/<c>reset</c> with its wall time.</summary>
internal sealed record StepTime(string Step, TimeSpan Elapsed, string Outcome);

/// <summary>What <c>up</c> and <c>reset</c> print on stdout: steps with times, rows per table, how to connect.</summary>
internal static class Report
{
    public static void Steps(CliRuntime runtime, IReadOnlyList<StepTime> steps, TimeSpan total)
    {
        if (runtime.Interactive)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Step").AddColumn(new TableColumn("Time").RightAligned()).AddColumn("Outcome");
            foreach (var s in steps)
                table.AddRow(Markup.Escape(s.Step), Seconds(s.Elapsed), Markup.Escape(s.Outcome));
            table.AddRow("[bold]total[/]", $"[bold]{Seconds(total)}[/]", "");
            AnsiConsole.Write(table);
            return;
        }
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Step",-14} {"Time",9}  Outcome");
        foreach (var s in steps)
            text.AppendLine(CultureInfo.InvariantCulture, $"{s.Step,-14} {Seconds(s.Elapsed),9}  {s.Outcome}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"total",-14} {Seconds(total),9}");
        Console.Out.Write(text.ToString());
    }

    public static void Rows(CliRuntime runtime, IReadOnlyList<TableRowCount> counts)
    {
        var tables = counts.Where(c => !c.IsView).ToList();
        var total = tables.Sum(c => c.Rows ?? 0);
        if (runtime.Interactive)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Table").AddColumn(new TableColumn("Rows").RightAligned());
            foreach (var c in counts)
                table.AddRow(Markup.Escape(c.Name) + (c.IsView ? " [grey](view)[/]" : ""), Rows(c));
            table.AddRow("[bold]total (28 tables)[/]", $"[bold]{total:N0}[/]");
            AnsiConsole.Write(table);
            return;
        }
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Table",-32} {"Rows",12}");
        foreach (var c in counts)
            text.AppendLine(CultureInfo.InvariantCulture, $"{c.Name + (c.IsView ? " (view)" : ""),-32} {Rows(c),12}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"total (28 tables)",-32} {total,12:N0}");
        Console.Out.Write(text.ToString());
    }

    /// <summary>The connection string and a psql command line; with <paramref name="hiddenPassword"/>, both without the password and that note instead.</summary>
    public static void Connection(string connectionString, string? binDirectory, string? hiddenPassword)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var psql = binDirectory is not null && PostgresBinaries.FindOnPath("psql") is null && File.Exists(Path.Combine(binDirectory, "psql"))
            ? Path.Combine(binDirectory, "psql")
            : "psql";
        var password = hiddenPassword is not null || string.IsNullOrEmpty(b.Password) ? "" : $"PGPASSWORD={ShellQuote(b.Password)} ";
        var shown = connectionString;
        if (hiddenPassword is not null)
        {
            b.Remove("Password");
            shown = $"{b.ConnectionString} ({hiddenPassword})";
        }
        Console.Out.WriteLine($"Connection string: {shown}");
        Console.Out.WriteLine($"{DatabaseUrl.EnvironmentVariable}: {DatabaseUrl.From(connectionString, hidePassword: hiddenPassword is not null)}");
        Console.Out.WriteLine($"psql: {password}{psql} -h {b.Host} -p {b.Port.ToString(CultureInfo.InvariantCulture)} -U {ShellQuote(b.Username ?? "postgres")} -d {ShellQuote(b.Database ?? "clearway")}");
    }

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Rows(TableRowCount c) => c.Rows is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "-";

    private static string ShellQuote(string value) =>
        value.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.' or '/') ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

}
