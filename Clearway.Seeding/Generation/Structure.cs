namespace Clearway.Seeding.Generation;

/// <summary>
/// The shape of the seeded world that does not depend on the seed value: which organisation has which plan,
/// who belongs where, how many rows hang off each parent. <see cref="SeedPlan"/> counts rows with it and the
/// generators follow it, so planned and written counts agree for every table not driven by random statuses.
/// </summary>
internal static class Structure
{
    public static readonly string[] Plans = ["STARTER", "PROFESSIONAL", "ENTERPRISE"];

    /// <summary>FundAdminConnection.administrator codes (SCHEMA.md 2.2); funds are administered by code f % 5.</summary>
    public static readonly string[] AdminCodes = ["SSC_GENEVA", "CARTA", "JUNIPER_SQUARE", "ALTVIA", "ALLVUE"];

    public static readonly string[] AccountingProviders = ["QUICKBOOKS", "XERO", "NETSUITE"];

    public static readonly string[] RoleNames = ["Admin", "Manager", "Analyst", "Viewer"];

    public const int PersonaOrgs = 3;
    public static int PersonaUsers => Personas.Users.Count;

    public const int InvitesPerOrg = 4;
    public const int SyncsPerConnection = 24;
    public const int UnmappedPerConnection = 4;
    public const int WebhookLogsPerConnection = 30;
    public const int StatementsPerAccount = 12;
    public const int DeliveriesPerEndpoint = 30;
    public const int ExecutionsPerReport = 8;
    public const int MaxCallsPerCommitment = 10;

    public static string OrgPlan(int org) => org switch
    {
        0 => "PROFESSIONAL",
        1 => "STARTER",
        2 => "ENTERPRISE",
        _ => (org % 5) switch { 0 => "ENTERPRISE", 1 or 2 => "PROFESSIONAL", _ => "STARTER" },
    };

    public static bool IsFamilyOffice(int org) => org == 1 || (org >= PersonaOrgs && org % 4 == 1);

    /// <summary>Organisation index of a user, or -1 for a user with no organisation.</summary>
    public static int UserOrg(int user, int orgCount) => user switch
    {
        0 or 1 or 2 => 0,
        3 => 1,
        4 => 2,
        5 => -1,
        _ when user % 17 == 16 => -1,
        _ => user % orgCount,
    };

    /// <summary>The role name of a member (personas keep theirs).</summary>
    public static string UserRole(int user) => user < PersonaUsers
        ? Personas.Users[user].Role ?? "Viewer"
        : (user % 10) switch { 0 => "Admin", 1 or 2 => "Manager", 3 or 4 or 5 => "Analyst", _ => "Viewer" };

    public static int SsoConnections(int org) => OrgPlan(org) switch
    {
        "ENTERPRISE" => 2,
        "PROFESSIONAL" => org % 2,
        _ => 0,
    };

    /// <summary>Administrator codes an organisation is connected to.</summary>
    public static IReadOnlyList<string> ConnectedAdmins(int org) => org switch
    {
        0 => ["CARTA"],
        1 => [],
        2 => ["SSC_GENEVA", "CARTA", "JUNIPER_SQUARE"],
        _ when org % 3 == 2 => [],
        _ when OrgPlan(org) == "ENTERPRISE" => [AdminCodes[org % 5], AdminCodes[(org + 2) % 5]],
        _ => [AdminCodes[org % 5]],
    };

    public static IReadOnlyList<string> AccountingProvidersOf(int org) => org switch
    {
        0 => ["QUICKBOOKS"],
        1 => [],
        2 => ["NETSUITE", "XERO"],
        _ => OrgPlan(org) switch
        {
            "ENTERPRISE" => [AccountingProviders[org % 3], AccountingProviders[(org + 1) % 3]],
            "PROFESSIONAL" => [AccountingProviders[org % 3]],
            _ => [],
        },
    };

    public static int BankAccounts(int user) => user % 3 == 0 ? 2 : 1;

    public static bool HasWebhookEndpoint(int user, int orgCount) =>
        user == 0 || user == 4 || (user % 10 == 0 && UserOrg(user, orgCount) >= 0);

    public static bool HasLegalHold(int user) => user % 40 is 3 or 7;

    public static bool HasScheduledReport(int user) => user % 4 == 0;

    public static int DataProcessingAgreements(int org) => OrgPlan(org) == "ENTERPRISE" ? 3 : 2;

    /// <summary>Calls per commitment, 1 to 10, independent of the seed so plans are exact.</summary>
    public static int CallsOf(int commitment) => 1 + (int)(Hashing.Mix((ulong)commitment * 0x9E3779B97F4A7C15UL + 0x5EED) % MaxCallsPerCommitment);
}
