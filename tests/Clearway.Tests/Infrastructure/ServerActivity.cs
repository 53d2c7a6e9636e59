using Npgsql;

namespace Clearway.Tests.Infrastructure;

/// <summary>
/// Bounded waits on the server's own view of its sessions (pg_stat_activity): the event a test waits for
/// when another session must be blocked, idle or gone before it goes on.
/// </summary>
public static class ServerActivity
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Asks <paramref name="query"/> (positional parameters <c>$1</c>… from <paramref name="parameters"/>) until it
    /// returns a row and returns that row's first column, e.g. the pid of the session found waiting. Fails at once when
    /// <paramref name="worker"/> exits first, and after <see cref="Limit"/> naming <paramref name="what"/>.
    /// </summary>
    public static async Task<object> WaitForRowAsync(string connectionString, string what, WorkerProcess? worker, string query,
        params object[] parameters)
    {
        var ct = TestContext.Current.CancellationToken;
        // Unpooled: no idle session is left behind in a database the test drops afterwards.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            await using (var command = new NpgsqlCommand(query, connection))
            {
                foreach (var parameter in parameters)
                    command.Parameters.Add(new NpgsqlParameter { Value = parameter });
                if (await command.ExecuteScalarAsync(ct) is { } found and not DBNull)
                    return found;
            }
            if (worker is { HasExited: true })
                Assert.Fail($"{worker.Name} exited ({worker.ExitCode}) before {what}{Environment.NewLine}{worker.Output()}");
            if (DateTime.UtcNow >= deadline)
                Assert.Fail($"not within {Limit.TotalMinutes} minutes: {what}{Environment.NewLine}{worker?.Output()}");
            await Task.Delay(50, ct); // asking the server again, not a sleep standing in for an event
        }
    }

    /// <summary>
    /// Waits until a session of the connection string's database whose query contains <paramref name="statement"/> is
    /// waiting for a lock (optionally one of <paramref name="applicationName"/>), and returns its pid.
    /// </summary>
    public static async Task<int> WaitUntilBlockedAsync(string connectionString, string statement, WorkerProcess? worker = null,
        string? applicationName = null) =>
        (int)await WaitForRowAsync(connectionString, $"a session blocked on a lock in {statement}", worker, """
            SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND position($1 in query) > 0
              AND ($2 = '' OR application_name = $2)
            LIMIT 1
            """, statement, applicationName ?? "");

    /// <summary>Waits until a session of the connection string's database (<paramref name="who"/>) waits for an advisory lock.</summary>
    public static Task WaitUntilWaitingOnAdvisoryLockAsync(string connectionString, string who) =>
        WaitForRowAsync(connectionString, $"{who} waiting on an advisory lock", null,
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'");

    /// <summary>Waits until the server has ended backend <paramref name="pid"/> (e.g. after its client was killed).</summary>
    public static Task WaitUntilBackendGoneAsync(string connectionString, int pid) =>
        WaitForRowAsync(connectionString, $"backend {pid} gone", null,
            "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)", pid);
}
