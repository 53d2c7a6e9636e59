using System.Globalization;
using System.Text;
using Clearway.Seeding.Generation;

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
    public static IReadOnlyList<string> TableOrder { get; } =
    [
        "Organization", "User", "FundAdministrator",
        "OrganizationRole", "OrganizationMember", "OrganizationInvite", "SSOConnection",
        "FundAdminConnection", "FundMapping", "InvestorMapping", "UnmappedInvestor", "FundAdminSync", "WebhookLog",
        "Document", "CapitalCall",
        "BankAccount", "StatementReconciliation", "Payment",
        "AccountingConnection", "AccountingTransaction", "SignatureRequest",
        "WebhookEndpoint", "WebhookDelivery",
        "AuditLog", "LegalHold", "DataProcessingAgreement",
        "ScheduledReport", "ReportExecution",
    ];

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

    /// <summary>The 28 tables in write order with their rows.</summary>
    public IReadOnlyList<PlannedTable> Tables { get; private init; } = [];

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

        var rows = new Dictionary<string, (long Rows, bool Estimate)>
        {
            ["Organization"] = (orgs, false),
            ["User"] = (users, false),
            ["FundAdministrator"] = (FundCatalog.Administrators.Count, false),
            ["OrganizationRole"] = (roles, false),
            ["OrganizationMember"] = (members, false),
            ["OrganizationInvite"] = (invites, false),
            ["SSOConnection"] = (sso, false),
            ["FundAdminConnection"] = (connections, false),
            ["FundMapping"] = (funds, false),
            ["InvestorMapping"] = (commitments, false),
            ["UnmappedInvestor"] = (connections * Structure.UnmappedPerConnection, false),
            ["FundAdminSync"] = (connections * Structure.SyncsPerConnection, false),
            ["WebhookLog"] = (connections * Structure.WebhookLogsPerConnection, false),
            ["Document"] = (calls + orphans, false),
            ["CapitalCall"] = (calls, false),
            ["BankAccount"] = (bankAccounts, false),
            ["StatementReconciliation"] = (bankAccounts * Structure.StatementsPerAccount, false),
            ["Payment"] = ((long)Math.Round(calls * 0.98), true),
            ["AccountingConnection"] = (accounting, false),
            ["AccountingTransaction"] = ((long)Math.Round(calls * 0.8), true),
            ["SignatureRequest"] = ((long)Math.Round(calls * 0.4), true),
            ["WebhookEndpoint"] = (endpoints, false),
            ["WebhookDelivery"] = (endpoints * Structure.DeliveriesPerEndpoint, false),
            ["AuditLog"] = (audit, false),
            ["LegalHold"] = (holds, false),
            ["DataProcessingAgreement"] = (dpas, false),
            ["ScheduledReport"] = (reports, false),
            ["ReportExecution"] = (reports * Structure.ExecutionsPerReport, false),
        };

        return new SeedPlan(profile, scale)
        {
            Organizations = orgs,
            Users = users,
            Funds = funds,
            Commitments = commitments,
            CapitalCalls = calls,
            OrphanDocuments = orphans,
            AuditLogs = audit,
            LastCommitmentCalls = lastCalls,
            Tables = TableOrder.Select(t => new PlannedTable(t, rows[t].Rows, rows[t].Estimate)).ToArray(),
        };
    }

    /// <summary>One line: profile, scale, the driving counts and the total.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"profile={SeedOptions.ProfileName(Profile)} scale={Scale:R}: {Organizations:N0} organizations, {Users:N0} users, {Funds:N0} funds, " +
        $"{Commitments:N0} commitments, {CapitalCalls:N0} capital calls, ~{TotalRows:N0} rows in 28 tables");

    /// <summary>The plan as a compact JSON object (stored in the seed marker).</summary>
    public string ToJson()
    {
        var sb = new StringBuilder("{");
        sb.Append(CultureInfo.InvariantCulture, $"\"profile\":\"{SeedOptions.ProfileName(Profile)}\",\"scale\":{Scale:R},\"tables\":{{");
        for (var i = 0; i < Tables.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture, $"\"{Tables[i].Name}\":{Tables[i].Rows}");
        }
        return sb.Append("}}").ToString();
    }
}
