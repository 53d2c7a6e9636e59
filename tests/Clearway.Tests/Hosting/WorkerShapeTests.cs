using Clearway.Data.Views;
using Clearway.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clearway.Tests.Hosting;

/// <summary>The one worker shape and failure contract: what every host exits with, and how it says why.</summary>
public sealed class WorkerShapeTests
{
    [Fact]
    public async Task A_long_running_worker_whose_loop_dies_fails_the_run_instead_of_exiting_0()
    {
        var builder = Host.CreateApplicationBuilder([]);
        builder.Services.AddHostedService<LoopThatDies>();
        using var host = builder.Build();

        // RunServiceAsync is what the database manager returns its exit code from: a dead loop is a failure (exit 1).
        var died = await Assert.ThrowsAsync<InvalidOperationException>(() => host.RunServiceAsync(TestContext.Current.CancellationToken));

        Assert.Equal("the schedule's timer cannot wait that long", died.Message);
        Assert.Equal(ExitCodes.Failure, Failures.Describe(died).ExitCode);
    }

    [Theory]
    [InlineData("30d", 30 * 24 * 3600)]
    [InlineData("1s", 1)]
    public void The_interval_parser_takes_1s_to_30d(string text, long seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RefreshInterval.Parse(text));

    [Theory]
    [InlineData("31d")]
    [InlineData("50d")]
    [InlineData("99999999999d")]
    [InlineData("9223372036854775807s")]
    public void Intervals_the_schedule_cannot_run_are_refused_in_one_line(string text)
    {
        var refused = Assert.Throws<FormatException>(() => RefreshInterval.Parse(text));
        Assert.Contains("longer than the longest allowed, 30d", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("could not access directory \"/x/pgdata\"?", "could not access directory \"/x/pgdata\"?")]
    [InlineData("a refusal (reset drops every table).", "a refusal (reset drops every table).")]
    [InlineData("no period", "no period.")]
    public void A_line_ends_as_one_sentence(string message, string line) =>
        Assert.Equal(line, Failures.Describe(new Clearway.States.StateException(message)).Line);

    private sealed class LoopThatDies : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("the schedule's timer cannot wait that long");
        }
    }
}
