using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Clearway.Hosting;

/// <summary>How every worker writes its console log (which the dashboard shows as the resource's console).</summary>
public static class WorkerConsole
{
    /// <summary>
    /// One line per entry with a timestamp, on stdout, so stderr carries exactly the one failure line of the host; when
    /// stdout carries data (<c>script</c>'s SQL), every entry goes to stderr instead.
    /// </summary>
    public static ILoggingBuilder AddWorkerConsole(this ILoggingBuilder logging, bool stdoutCarriesData = false)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = stdoutCarriesData ? LogLevel.Trace : LogLevel.None);
        return logging;
    }
}
