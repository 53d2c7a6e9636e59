using System.Globalization;
using Clearway.Seeding.Generation;
using Clearway.Seeding.Tables;

namespace Clearway.Seeding;

/// <summary>One table of a plan: its rows, and whether that number is exact or an estimate.</summary>
/// <param name="Name">The table name, as in the database (<c>"CapitalCall"</c>).</param>
/// <param name="Rows">Rows the seeder writes (exact) or expects to write (estimate).</param>
/// <param name="IsEstimate">
/// True for the tables whose row count follows random statuses (payments, accounting transactions,
/// signature requests); the seed result has the exact number.
/// </param>
public sealed record PlannedTable(string Name, long Rows, bool IsEstimate);

/// <summary>
/// Rows per table for a profile and scale, in foreign-key (write) order. The counts do not depend on the seed
/// value or the as-of date, only the contents do.
/// </summary>
public sealed class SeedPlan
{
    /// <summary>Upper bound on planned capital calls, beyond which a scale is considered absurd.</summary>
    public const long MaxCapitalCalls = 50_000_000;

    /// <summary>The 28 tables, in the order the seeder writes them (every parent before its children).</summary>
    public static IReadOnlyList<string> TableOrder { get; } = SeedTables.All.Select(t => t.Name).ToArray();

    private SeedPlan(SeedProfile profile, double scale) { Profile = profile; Scale = scale; }

    public SeedProfile Profile { get; }
    public double Scale { get; }

    public int Organizations { get; private init; }
    public int Users { get; private init; }
    public int Funds { get; private init; }
    public int Commitments { get; private init; }
    public long CapitalCalls { get; private init; }
    public int OrphanDocuments { get; private init; }
    public int AuditLogs { get; private init; }

    /// <summary>Calls of the last commitment (the only one cut short so <see cref="CapitalCalls"/> is exact).</summary>
    internal int LastCommitmentCalls { get; private init; }

    // Derived counts the table specs read their planned rows from (SeedTables).
    internal long Roles { get; private init; }
    internal long Members { get; private init; }
    internal long Invites { get; private init; }
    internal long SsoConnections { get; private init; }
    internal long FundAdminConnections { get; private init; }
    internal long AccountingConnections { get; private init; }
    internal long DataProcessingAgreements { get; private init; }
    internal long BankAccounts { get; private init; }
    internal long WebhookEndpoints { get; private init; }
    internal long LegalHolds { get; private init; }
    internal long ScheduledReports { get; private init; }

    /// <summary>The 28 tables in write order with their rows.</summary>
    public IReadOnlyList<PlannedTable> Tables { get; private set; } = [];

    public long TotalRows => Tables.Sum(t => t.Rows);

    /// <summary>Rows planned for a table (exact or estimated, see <see cref="PlannedTable.IsEstimate"/>).</summary>
    public long RowsOf(string table) => Tables.First(t => t.Name == table).Rows;

    /// <summary>The plan for a profile, every driving count multiplied by <paramref name="scale"/>.</summary>
    public static SeedPlan For(SeedProfile profile, double scale = 1.0)
    {
        // Base counts: organisations, users, funds, capital calls, documents without a call, audit events.
        var (orgs, users, funds, calls, orphans, audit) = profile switch
        {
            SeedProfile.Tiny => (3, 8, 5, 24L, 3, 60),
            SeedProfile.Dev => (12, 150, 60, 4_000L, 200, 6_000),
            SeedProfile.Large => (3_000, 37_500, 5_000, 1_000_000L, 50_000, 1_500_000),
            _ => throw new SeedInputException($"unknown profile '{profile}' (expected tiny, dev or large)"),
        };

        int Scaled(int n, int min) => (int)Math.Clamp(Math.Round(n * scale), min, int.MaxValue / 2);
        orgs = Scaled(orgs, Structure.PersonaOrgs);
        users = Scaled(users, Structure.PersonaUsers + 2);
        funds = Math.Min(Scaled(funds, 5), FundCatalog.MaxFunds);
        calls = (long)Math.Clamp(Math.Round(calls * scale), 12, MaxCapitalCalls * 4.0);
        orphans = Scaled(orphans, 3);
        audit = Scaled(audit, 20);

        // Commitments: as many as needed for the calls; the last one is cut short.
        int commitments = 0, lastCalls = 0;
        long sum = 0;
        if (calls <= MaxCapitalCalls)
        {
            while (sum < calls)
            {
                var k = Structure.CallsOf(commitments);
                lastCalls = (int)Math.Min(k, calls - sum);
                sum += lastCalls;
                commitments++;
            }
        }

        long members = 0, invites = 0, roles = 0, sso = 0, connections = 0, accounting = 0, dpas = 0;
        for (var o = 0; o < orgs; o++)
        {
            roles += Structure.RoleNames.Length;
            invites += Structure.InvitesPerOrg;
            sso += Structure.SsoConnections(o);
            connections += Structure.ConnectedAdmins(o).Count;
            accounting += Structure.AccountingProvidersOf(o).Count;
            dpas += Structure.DataProcessingAgreements(o);
        }

        long bankAccounts = 0, endpoints = 0, holds = 0, reports = 0;
        for (var u = 0; u < users; u++)
        {
            if (Structure.UserOrg(u, orgs) >= 0) members++;
            bankAccounts += Structure.BankAccounts(u);
            if (Structure.HasWebhookEndpoint(u, orgs)) endpoints++;
            if (Structure.HasLegalHold(u)) holds++;
            if (Structure.HasScheduledReport(u)) reports++;
        }

        var plan = new SeedPlan(profile, scale)
        {
            Organizations = orgs,
            Users = users,
            Funds = funds,
            Commitments = commitments,
            CapitalCalls = calls,
            OrphanDocuments = orphans,
            AuditLogs = audit,
            LastCommitmentCalls = lastCalls,
            Roles = roles,
            Members = members,
            Invites = invites,
            SsoConnections = sso,
            FundAdminConnections = connections,
            AccountingConnections = accounting,
            DataProcessingAgreements = dpas,
            BankAccounts = bankAccounts,
            WebhookEndpoints = endpoints,
            LegalHolds = holds,
            ScheduledReports = reports,
        };
        plan.Tables = SeedTables.All.Select(t => new PlannedTable(t.Name, t.PlannedRows(plan), t.IsEstimate)).ToArray();
        return plan;
    }

    /// <summary>One line: profile, scale, the driving counts and the total.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"profile={SeedOptions.ProfileName(Profile)} scale={Scale:R}: {Organizations:N0} organizations, {Users:N0} users, {Funds:N0} funds, " +
        $"{Commitments:N0} commitments, {CapitalCalls:N0} capital calls, ~{TotalRows:N0} rows in 28 tables");

    /// <summary>The plan as a compact JSON object (stored in the seed marker).</summary>
    public string ToJson()
    {
        var json = Json.Start();
        json.WriteStartObject();
        json.WriteString("profile", SeedOptions.ProfileName(Profile));
        json.WriteNumber("scale", Scale);
        json.WriteStartObject("tables");
        foreach (var table in Tables)
            json.WriteNumber(table.Name, table.Rows);
        json.WriteEndObject();
        json.WriteEndObject();
        return Json.Finish(json);
    }
}
