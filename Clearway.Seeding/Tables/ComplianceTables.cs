using Clearway.Data.Entities;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;

namespace Clearway.Seeding.Tables;

/// <summary>The audit stream, legal holds and data processing agreements.</summary>
internal static class ComplianceTables
{
    private static readonly (string Action, string Level, string? Entity, double Weight)[] Actions =
    [
        ("USER_LOGIN", "LOW", null, 30), ("DOCUMENT_UPLOADED", "LOW", "Document", 12), ("DOCUMENT_DOWNLOADED", "MEDIUM", "Document", 10),
        ("CAPITAL_CALL_CREATED", "MEDIUM", "CapitalCall", 10), ("CAPITAL_CALL_APPROVED", "MEDIUM", "CapitalCall", 9),
        ("CAPITAL_CALL_REJECTED", "MEDIUM", "CapitalCall", 2), ("PAYMENT_PROCESSED", "HIGH", "CapitalCall", 8),
        ("LOGIN_FAILED", "MEDIUM", null, 4), ("SETTINGS_UPDATED", "HIGH", "Organization", 3), ("USER_ROLE_CHANGED", "HIGH", "User", 2),
        ("API_KEY_CREATED", "HIGH", "WebhookEndpoint", 1), ("BANK_ACCOUNT_CONNECTED", "HIGH", "BankAccount", 2),
        ("DATA_EXPORTED", "CRITICAL", "Organization", 1), ("MFA_DISABLED", "CRITICAL", "User", 0.5), ("BULK_DELETE", "CRITICAL", "Document", 0.3),
    ];

    private static readonly double TotalWeight = Actions.Sum(a => a.Weight);

    public static readonly TableSpec<AuditLog> AuditLogs = new("AuditLog",
        ["id", "action", "entityType", "entityId", "userId", "sessionId", "ipAddress", "userAgent", "geolocation", "deviceFingerprint",
         "metadata", "securityLevel", "timestamp"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.Action); w.Text(e.EntityType); w.Text(e.EntityId); w.Text(e.UserId); w.Text(e.SessionId);
            w.Text(e.IpAddress); w.Text(e.UserAgent); w.Json(e.Geolocation); w.Text(e.DeviceFingerprint); w.Json(e.Metadata);
            w.Text(e.SecurityLevel); w.Timestamp(e.Timestamp);
        },
        GenerateAuditLogs,
        p => p.AuditLogs);

    private static IEnumerable<AuditLog> GenerateAuditLogs(SeedWorld world)
    {
        // The table's faker supplies pools (browsers, places); rows draw from them with the fast generator.
        var faker = world.FakerFor("AuditLog");
        var agents = Enumerable.Range(0, 64).Select(_ => faker.Internet.UserAgent()).ToArray();
        var places = Enumerable.Range(0, 64)
            .Select(_ => Place(faker.Address.StateAbbr(), faker.Address.City()))
            .ToArray();
        var calls = new CallSkeleton[Structure.MaxCallsPerCommitment];

        // A time-ordered stream over the last year: event i happens in slot i, so timestamps rise with i.
        var n = world.Plan.AuditLogs;
        var window = TimeSpan.FromDays(365).Ticks;
        var slot = window / n;
        var start = world.Now.Ticks - window;
        var rng = new Rng(world.StreamSeed("AuditLog"));
        for (var i = 0; i < n; i++)
        {
            var at = Time.Ms(new DateTime(start + i * slot + (long)(rng.NextDouble() * slot), DateTimeKind.Unspecified));
            var pick = rng.NextDouble() * TotalWeight;
            var a = 0;
            for (; a < Actions.Length - 1 && pick >= Actions[a].Weight; a++) pick -= Actions[a].Weight;
            var (action, level, entityType, _) = Actions[a];

            int user;
            string? entityId = null;
            if (entityType is "CapitalCall" or "Document" && world.Plan.Commitments > 0)
            {
                var m = world.Commitment(rng.Next(world.Plan.Commitments));
                world.CallsFor(m, calls);
                var call = calls[rng.Next(m.Calls)];
                user = m.Owner;
                entityId = entityType == "CapitalCall" ? world.CallId(call.Key) : world.DocumentId(call.Key);
            }
            else
            {
                user = rng.Next(world.UserCount);
                var org = world.UserOrg(user);
                entityId = entityType switch
                {
                    "Organization" => org >= 0 ? world.Org(org).Id : null,
                    "User" => world.UserId(rng.Next(world.UserCount)),
                    "BankAccount" => world.Id("BankAccount", SeedWorld.BankAccountKey(user, 0)),
                    "WebhookEndpoint" => Structure.HasWebhookEndpoint(user, world.OrgCount) ? world.Id("WebhookEndpoint", (ulong)user) : null,
                    _ => null,
                };
            }
            var userHash = Hashing.Combine(world.StreamSeed("AuditLog.user"), (ulong)user);
            var failedLogin = action == "LOGIN_FAILED";
            yield return new AuditLog
            {
                Id = world.Id("AuditLog", (ulong)i),
                Action = action,
                EntityType = entityId is null ? null : entityType,
                EntityId = entityId,
                UserId = world.UserId(user),
                SessionId = failedLogin ? null : "sess_seed_" + rng.Base36(16),
                IpAddress = DocIps.For(failedLogin ? rng.NextULong() : userHash + (ulong)rng.Next(3)),
                UserAgent = agents[(int)(userHash % (ulong)agents.Length)],
                Geolocation = places[(int)(userHash / 7 % (ulong)places.Length)],
                DeviceFingerprint = "seed_fp_" + (userHash % 0xFFFFFFFFFFFFUL).ToString("x12", System.Globalization.CultureInfo.InvariantCulture),
                Metadata = Metadata(rng.Chance(0.85) ? "web" : "api", "req_seed_" + rng.Base36(12)),
                SecurityLevel = level,
                Timestamp = at,
            };
        }
    }

    private static readonly string[] HoldReasons =
    [
        "SEC examination: document preservation request", "Litigation hold: estate dispute", "FINRA inquiry",
        "Internal investigation", "Subpoena: third-party records request", "Regulatory audit (state securities division)",
    ];

    private static string Place(string region, string city)
    {
        var json = Json.Start();
        json.WriteStartObject();
        json.WriteString("country", "US");
        json.WriteString("region", region);
        json.WriteString("city", city);
        json.WriteEndObject();
        return Json.Finish(json);
    }

    private static string Metadata(string source, string requestId)
    {
        var json = Json.Start();
        json.WriteStartObject();
        json.WriteString("source", source);
        json.WriteString("requestId", requestId);
        json.WriteEndObject();
        return Json.Finish(json);
    }

    public static readonly TableSpec<LegalHold> LegalHolds = new("LegalHold",
        ["id", "userId", "reason", "status", "createdBy", "caseNumber", "notes", "createdAt", "releasedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.UserId); w.Text(e.Reason); w.Text(e.Status); w.Text(e.CreatedBy); w.Text(e.CaseNumber); w.Text(e.Notes);
            w.Timestamp(e.CreatedAt); w.Timestamp(e.ReleasedAt);
        },
        GenerateLegalHolds,
        p => p.LegalHolds);

    private static IEnumerable<LegalHold> GenerateLegalHolds(SeedWorld world)
    {
        var faker = world.FakerFor("LegalHold");
        for (var u = 0; u < world.UserCount; u++)
        {
            if (!Structure.HasLegalHold(u)) continue;
            var rng = world.RngFor("LegalHold", (ulong)u);
            var created = Time.Ms(world.Now - Time.Days(ref rng, 10, 700));
            // Every other hold has been released (u % 40 == 7); SCHEMA.md 2.2 documents only ACTIVE, so a release is releasedAt.
            var released = u % 40 == 7 ? Time.Ms(Time.Min(created + Time.Days(ref rng, 20, 300), world.Now.AddDays(-1))) : (DateTime?)null;
            var org = world.UserOrg(u);
            yield return new LegalHold
            {
                Id = world.Id("LegalHold", (ulong)u),
                UserId = world.UserId(u),
                Reason = rng.Pick(HoldReasons),
                Status = "ACTIVE",
                CreatedBy = world.UserId(org >= 0 ? world.FirstUserOf(org) : 0),
                CaseNumber = $"LH-{created.Year}-{rng.Digits(4)}",
                Notes = faker.Lorem.Sentence(8),
                CreatedAt = created,
                ReleasedAt = released,
            };
        }
    }

    private static readonly (string Name, string Slug, string Purpose, string[] Categories)[] Processors =
    [
        ("Amazon Web Services", "aws", "Cloud hosting, database and backups", ["contact_data", "financial_data", "documents"]),
        ("OpenAI", "openai", "AI extraction of capital-call notices", ["documents", "financial_data"]),
        ("Clerk", "clerk", "User authentication", ["contact_data", "authentication_data"]),
        ("Plaid", "plaid", "Bank account connectivity", ["financial_data", "bank_account_data"]),
        ("Stripe", "stripe", "Payment processing", ["financial_data", "contact_data"]),
        ("Cloudflare", "cloudflare", "CDN and document storage (R2)", ["documents", "usage_data"]),
        ("Postmark", "postmark", "Transactional e-mail", ["contact_data"]),
    ];

    public static readonly TableSpec<DataProcessingAgreement> Dpas = new("DataProcessingAgreement",
        ["id", "organizationId", "processorName", "purpose", "dataCategories", "signedAt", "expiresAt", "agreementUrl", "contactEmail", "status"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.OrganizationId); w.Text(e.ProcessorName); w.Text(e.Purpose); w.TextArray(e.DataCategories);
            w.Timestamp(e.SignedAt); w.Timestamp(e.ExpiresAt); w.Text(e.AgreementUrl); w.Text(e.ContactEmail); w.Text(e.Status);
        },
        GenerateDpas,
        p => p.DataProcessingAgreements);

    private static IEnumerable<DataProcessingAgreement> GenerateDpas(SeedWorld world)
    {
        for (var o = 0; o < world.OrgCount; o++)
        {
            var org = world.Org(o);
            for (var k = 0; k < Structure.DataProcessingAgreements(o); k++)
            {
                var key = (ulong)o * 4 + (ulong)k;
                var rng = world.RngFor("DataProcessingAgreement", key);
                var p = Processors[(o + k * 3) % Processors.Length];
                // The second agreement of every other organisation has expired (status stays ACTIVE: the only documented value).
                var expired = k == 1 && o % 2 == 0;
                var signed = expired ? Time.Ms(world.Now - Time.Days(ref rng, 800, 1200)) : Time.Ms(world.Now - Time.Days(ref rng, 30, 600));
                yield return new DataProcessingAgreement
                {
                    Id = world.Id("DataProcessingAgreement", key),
                    OrganizationId = org.Id,
                    ProcessorName = p.Name,
                    Purpose = p.Purpose,
                    DataCategories = p.Categories,
                    SignedAt = signed,
                    ExpiresAt = expired ? signed.AddDays(730) : rng.Chance(0.3) ? null : signed.AddDays(rng.Pick([730, 1095])),
                    AgreementUrl = $"https://legal.clearway.example/dpa/{org.Slug}/{p.Slug}.pdf",
                    ContactEmail = $"privacy@{p.Slug}.example",
                    Status = "ACTIVE",
                };
            }
        }
    }
}
