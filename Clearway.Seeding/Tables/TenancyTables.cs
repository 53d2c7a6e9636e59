using Clearway.Data.Entities;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;

namespace Clearway.Seeding.Tables;

/// <summary>Organisations, users, the fund-administrator registry, roles, members, invites and SSO.</summary>
internal static class TenancyTables
{
    public static readonly TableSpec<Organization> Organizations = new("Organization",
        ["id", "name", "slug", "customDomain", "plan", "settings", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.Name); w.Text(e.Slug); w.Text(e.CustomDomain); w.Text(e.Plan); w.Json(e.Settings);
            w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateOrganizations,
        p => p.Organizations);

    private static IEnumerable<Organization> GenerateOrganizations(SeedWorld world)
    {
        var faker = world.FakerFor("Organization");
        for (var i = 0; i < world.OrgCount; i++)
        {
            var org = world.Org(i);
            var rng = world.RngFor("Organization", (ulong)i);
            var plan = org.Plan;
            var json = Json.Start();
            json.WriteStartObject();
            json.WriteString("kind", org.IsFamilyOffice ? "FAMILY_OFFICE" : "RIA");
            json.WriteStartObject("branding");
            json.WriteString("primaryColor", faker.Internet.Color());
            json.WriteString("logoUrl", $"https://cdn.clearway.example/logos/{org.Slug}.png");
            json.WriteString("tagline", faker.Company.CatchPhrase());
            json.WriteEndObject();
            json.WriteStartObject("features");
            json.WriteBoolean("aiExtraction", true);
            json.WriteBoolean("payments", plan != "STARTER");
            json.WriteBoolean("fundAdminSync", Structure.ConnectedAdmins(i).Count > 0);
            json.WriteBoolean("sso", Structure.SsoConnections(i) > 0);
            json.WriteEndObject();
            json.WriteString("timezone", rng.Pick(TimeZones));
            json.WriteEndObject();
            var settings = Json.Finish(json);
            yield return new Organization
            {
                Id = org.Id,
                Name = org.Name,
                Slug = org.Slug,
                CustomDomain = plan == "ENTERPRISE" ? $"portal.{org.Domain}" : null,
                Plan = plan,
                Settings = settings,
                CreatedAt = org.CreatedAt,
                UpdatedAt = Time.Ms(org.CreatedAt + Time.Days(ref rng, 0, (world.Now - org.CreatedAt).TotalDays)),
            };
        }
    }

    private static readonly string[] TimeZones = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London"];

    public static readonly TableSpec<User> Users = new("User",
        ["id", "clerkId", "email", "name", "createdAt", "updatedAt", "organizationId"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.ClerkId); w.Text(e.Email); w.Text(e.Name); w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
            w.Text(e.OrganizationId);
        },
        GenerateUsers,
        p => p.Users);

    private static IEnumerable<User> GenerateUsers(SeedWorld world)
    {
        for (var u = 0; u < world.UserCount; u++)
        {
            var user = world.User(u);
            var rng = world.RngFor("User", (ulong)u);
            yield return new User
            {
                Id = user.Id,
                ClerkId = user.ClerkId,
                Email = user.Email,
                Name = user.Name,
                CreatedAt = user.CreatedAt,
                UpdatedAt = Time.Ms(user.CreatedAt + Time.Days(ref rng, 0, (world.Now - user.CreatedAt).TotalDays)),
                OrganizationId = user.OrgIndex >= 0 ? world.Org(user.OrgIndex).Id : null,
            };
        }
    }

    public static readonly TableSpec<FundAdministrator> FundAdministrators = new("FundAdministrator",
        ["id", "name", "slug", "apiKey", "isActive", "contactEmail", "website", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.Name); w.Text(e.Slug); w.Text(e.ApiKey); w.Bool(e.IsActive); w.Text(e.ContactEmail); w.Text(e.Website);
            w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateFundAdministrators,
        _ => FundCatalog.Administrators.Count);

    private static IEnumerable<FundAdministrator> GenerateFundAdministrators(SeedWorld world)
    {
        var admins = FundCatalog.Administrators;
        for (var i = 0; i < admins.Count; i++)
        {
            var a = admins[i];
            var rng = world.RngFor("FundAdministrator", (ulong)i);
            var created = Time.Ms(world.Now - Time.Days(ref rng, 600, 1500));
            yield return new FundAdministrator
            {
                Id = world.Id("FundAdministrator", (ulong)i),
                Name = a.Name,
                Slug = a.Slug,
                ApiKey = $"seed_fa_{a.Slug.Replace('-', '_')}_{rng.Hex(24)}",
                IsActive = a.IsActive,
                ContactEmail = $"api@{a.Slug}.example",
                Website = $"https://www.{a.Slug}.example",
                CreatedAt = created,
                UpdatedAt = Time.Ms(created + Time.Days(ref rng, 0, 300)),
            };
        }
    }

    public static string[] RolePermissions(string role) => role switch
    {
        "Admin" => ["capital_calls:*", "documents:*", "users:*", "settings:*", "integrations:*"],
        "Manager" => ["capital_calls:*", "documents:*", "payments:*", "users:read", "integrations:read"],
        "Analyst" => ["capital_calls:read", "capital_calls:approve", "documents:read", "documents:upload", "payments:read"],
        _ => ["capital_calls:read", "documents:read"],
    };

    private static string RoleDescription(string role) => role switch
    {
        "Admin" => "Full administrative access",
        "Manager" => "Manages capital calls, documents and payments",
        "Analyst" => "Reviews and approves capital calls",
        _ => "Read-only access",
    };

    public static readonly TableSpec<OrganizationRole> Roles = new("OrganizationRole",
        ["id", "organizationId", "name", "permissions", "description", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.OrganizationId); w.Text(e.Name); w.TextArray(e.Permissions); w.Text(e.Description);
            w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateRoles,
        p => p.Roles);

    private static IEnumerable<OrganizationRole> GenerateRoles(SeedWorld world)
    {
        for (var o = 0; o < world.OrgCount; o++)
        {
            var org = world.Org(o);
            for (var r = 0; r < Structure.RoleNames.Length; r++)
            {
                var role = Structure.RoleNames[r];
                yield return new OrganizationRole
                {
                    Id = world.Id("OrganizationRole", (ulong)o * 4 + (ulong)r),
                    OrganizationId = org.Id,
                    Name = role,
                    Permissions = RolePermissions(role),
                    Description = RoleDescription(role),
                    CreatedAt = org.CreatedAt,
                    UpdatedAt = org.CreatedAt,
                };
            }
        }
    }

    public static readonly TableSpec<OrganizationMember> Members = new("OrganizationMember",
        ["id", "organizationId", "userId", "role", "permissions", "joinedAt"],
        (w, e) => { w.Text(e.Id); w.Text(e.OrganizationId); w.Text(e.UserId); w.Text(e.Role); w.TextArray(e.Permissions); w.Timestamp(e.JoinedAt); },
        GenerateMembers,
        p => p.Members);

    private static IEnumerable<OrganizationMember> GenerateMembers(SeedWorld world)
    {
        for (var u = 0; u < world.UserCount; u++)
        {
            var org = world.UserOrg(u);
            if (org < 0) continue;
            var user = world.User(u);
            var role = Structure.UserRole(u);
            yield return new OrganizationMember
            {
                Id = world.Id("OrganizationMember", (ulong)u),
                OrganizationId = world.Org(org).Id,
                UserId = user.Id,
                Role = role,
                Permissions = RolePermissions(role),
                JoinedAt = user.CreatedAt,
            };
        }
    }

    public static readonly TableSpec<OrganizationInvite> Invites = new("OrganizationInvite",
        ["id", "organizationId", "email", "role", "invitedBy", "token", "expiresAt", "acceptedAt", "createdAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.OrganizationId); w.Text(e.Email); w.Text(e.Role); w.Text(e.InvitedBy); w.Text(e.Token);
            w.Timestamp(e.ExpiresAt); w.Timestamp(e.AcceptedAt); w.Timestamp(e.CreatedAt);
        },
        GenerateInvites,
        p => p.Invites);

    private static IEnumerable<OrganizationInvite> GenerateInvites(SeedWorld world)
    {
        var faker = world.FakerFor("OrganizationInvite");
        for (var o = 0; o < world.OrgCount; o++)
        {
            var org = world.Org(o);
            var inviter = world.UserId(world.FirstUserOf(o));
            for (var k = 0; k < Structure.InvitesPerOrg; k++)
            {
                var key = (ulong)o * Structure.InvitesPerOrg + (ulong)k;
                var rng = world.RngFor("OrganizationInvite", key);
                // k = 0 pending, 1 accepted, 2 expired, 3 either pending or accepted.
                var state = k == 3 ? (rng.Chance(0.5) ? 0 : 1) : k;
                var created = state switch
                {
                    0 => world.Now - Time.Days(ref rng, 0.1, 6),
                    2 => world.Now - Time.Days(ref rng, 10, 120),
                    _ => world.Now - Time.Days(ref rng, 8, 400),
                };
                created = Time.Ms(Time.Max(created, org.CreatedAt));
                var expires = created.AddDays(7);
                var first = faker.Name.FirstName();
                var last = faker.Name.LastName();
                yield return new OrganizationInvite
                {
                    Id = world.Id("OrganizationInvite", key),
                    OrganizationId = org.Id,
                    Email = $"{Clean(first)}.{Clean(last)}.{k}@{org.Domain}",
                    Role = rng.Pick(["Manager", "Analyst", "Analyst", "Viewer", "Viewer"]),
                    InvitedBy = inviter,
                    Token = "seed_inv_" + rng.Hex(32),
                    ExpiresAt = expires,
                    AcceptedAt = state == 1 ? Time.Ms(created + Time.Days(ref rng, 0.01, 6.9)) : null,
                    CreatedAt = created,
                };
            }
        }
    }

    public static string Clean(string name) => new(name.ToLowerInvariant().Where(char.IsAsciiLetterLower).ToArray());

    public static readonly TableSpec<SsoConnection> Sso = new("SSOConnection",
        ["id", "organizationId", "provider", "enabled", "config", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.OrganizationId); w.Text(e.Provider); w.Bool(e.Enabled); w.Json(e.Config);
            w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateSso,
        p => p.SsoConnections);

    private static IEnumerable<SsoConnection> GenerateSso(SeedWorld world)
    {
        for (var o = 0; o < world.OrgCount; o++)
        {
            var n = Structure.SsoConnections(o);
            var org = world.Org(o);
            for (var k = 0; k < n; k++)
            {
                var key = (ulong)o * 2 + (ulong)k;
                var rng = world.RngFor("SSOConnection", key);
                var saml = n == 2 ? k == 0 : o % 4 == 1;
                var json = Json.Start();
                json.WriteStartObject();
                if (saml)
                {
                    json.WriteString("entityId", $"https://{org.Slug}.clearway.example/saml/metadata");
                    json.WriteString("idpSsoUrl", $"https://idp.{org.Domain}/sso/saml");
                    json.WriteString("idpCertificateFingerprint", "seed_" + rng.Hex(40));
                    json.WriteString("nameIdFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
                }
                else
                {
                    json.WriteString("issuer", $"https://login.{org.Domain}");
                    json.WriteString("clientId", "seed_client_" + rng.Hex(16));
                    json.WriteString("clientSecret", "seed_secret_" + rng.Hex(32));
                    json.WriteStartArray("scopes");
                    json.WriteStringValue("openid");
                    json.WriteStringValue("email");
                    json.WriteStringValue("profile");
                    json.WriteEndArray();
                }
                json.WriteEndObject();
                var config = Json.Finish(json);
                var created = Time.Ms(org.CreatedAt + Time.Days(ref rng, 1, Math.Max(2, (world.Now - org.CreatedAt).TotalDays - 1)));
                yield return new SsoConnection
                {
                    Id = world.Id("SSOConnection", key),
                    OrganizationId = org.Id,
                    Provider = saml ? "SAML" : "OIDC",
                    Enabled = k == 0 || rng.Chance(0.5),
                    Config = config,
                    CreatedAt = created,
                    UpdatedAt = Time.Ms(created + Time.Days(ref rng, 0, Math.Max(0.01, (world.Now - created).TotalDays))),
                };
            }
        }
    }
}
