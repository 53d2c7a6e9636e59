namespace Clearway.Seeding;

/// <summary>An organisation every seed contains, with the same id and slug whatever the seed value.</summary>
public sealed record PersonaOrganization(string Id, string Name, string Slug, string Plan, string Kind, string Description);

/// <summary>A user every seed contains, with the same id, Clerk id and e-mail whatever the seed value.</summary>
public sealed record PersonaUser(string Id, string ClerkId, string Email, string Name, string? OrganizationSlug, string? Role, string Description);

/// <summary>
/// The named personas: fixed ids and e-mails that do not depend on the seed, so onboarding can say
/// "log in as admin@demo-ria.example". Every profile (tiny, dev, large) contains all of them, with data of
/// their own (commitments, calls, payments, ...) drawn like everyone else's.
/// </summary>
public static class Personas
{
    public static PersonaOrganization DemoRia { get; } = new(
        "cdemoriaorg00000000000001", "Demo RIA Advisors", "demo-ria", "PROFESSIONAL", "RIA",
        "A registered investment adviser on the Professional plan: QuickBooks connected, synced from Carta.");

    public static PersonaOrganization HarborFamilyOffice { get; } = new(
        "charborfamilyoffice000001", "Harbor Family Office", "harbor-family-office", "STARTER", "FAMILY_OFFICE",
        "A single-family office on the Starter plan: uploads notices by hand, no integrations.");

    public static PersonaOrganization NorthwindCapital { get; } = new(
        "cnorthwindcapital00000001", "Northwind Capital Partners", "northwind-capital", "ENTERPRISE", "RIA",
        "An Enterprise RIA connected to SS&C Geneva, Carta and Juniper Square, with SAML SSO, NetSuite and Xero.");

    /// <summary>The persona organisations, at organisation index 0, 1, 2.</summary>
    public static IReadOnlyList<PersonaOrganization> Organizations { get; } = [DemoRia, HarborFamilyOffice, NorthwindCapital];

    public static PersonaUser DemoRiaAdmin { get; } = new(
        "cpersonademoriaadmin00001", "user_seed_demo_ria_admin", "admin@demo-ria.example", "Avery Admin", "demo-ria", "Admin",
        "Org admin of Demo RIA: every permission, webhook endpoint, scheduled report.");

    public static PersonaUser DemoRiaAnalyst { get; } = new(
        "cpersonademoriaanalyst001", "user_seed_demo_ria_analyst", "analyst@demo-ria.example", "Sam Analyst", "demo-ria", "Analyst",
        "Analyst at Demo RIA: reviews and approves capital calls.");

    public static PersonaUser DemoRiaViewer { get; } = new(
        "cpersonademoriaviewer0001", "user_seed_demo_ria_viewer", "viewer@demo-ria.example", "Vic Viewer", "demo-ria", "Viewer",
        "Read-only member of Demo RIA.");

    public static PersonaUser FamilyOfficeMember { get; } = new(
        "cpersonaharbormember00001", "user_seed_harbor_member", "member@harbor-family-office.example", "Morgan Harbor", "harbor-family-office", "Manager",
        "Member of the Harbor family office (Manager role).");

    public static PersonaUser NorthwindOps { get; } = new(
        "cpersonanorthwindops00001", "user_seed_northwind_ops", "ops@northwind-capital.example", "Jordan Ops", "northwind-capital", "Admin",
        "Operations admin at Northwind: fund-administrator connections, sync history, unmapped investors.");

    public static PersonaUser IndividualInvestor { get; } = new(
        "cpersonaindividual0000001", "user_seed_individual", "investor@example.com", "Riley Investor", null, null,
        "An individual user with no organisation.");

    /// <summary>The persona users, at user index 0 to 5.</summary>
    public static IReadOnlyList<PersonaUser> Users { get; } =
        [DemoRiaAdmin, DemoRiaAnalyst, DemoRiaViewer, FamilyOfficeMember, NorthwindOps, IndividualInvestor];
}
