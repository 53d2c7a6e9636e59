using Clearway.Data.Entities;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;

namespace Clearway.Seeding.Tables;

/// <summary>Connections to fund administrators, fund and investor mappings, sync history, unmapped investors, incoming webhooks.</summary>
internal static class FundAdminTables
{
    /// <summary>One organisation's connection to one administrator, as every fund-admin table sees it.</summary>
    internal readonly record struct Connection(int Org, int K, ulong Key, string Administrator, string AccountId, string Status, bool SyncEnabled);

    internal static IEnumerable<Connection> Connections(SeedWorld world)
    {
        for (var o = 0; o < world.OrgCount; o++)
        {
            var admins = Structure.ConnectedAdmins(o);
            for (var k = 0; k < admins.Count; k++)
            {
                var admin = admins[k];
                var status = o == 2
                    ? (admin == "JUNIPER_SQUARE" ? "ERROR" : "ACTIVE")
                    : o < Structure.PersonaOrgs ? "ACTIVE"
                    : ((o * 3 + k) % 8) switch { 0 => "ERROR", 1 => "DISABLED", _ => "ACTIVE" };
                var accountId = $"{world.Org(o).Slug.ToUpperInvariant()}-{SeedWorld.AdminPrefix(admin)}";
                yield return new Connection(o, k, (ulong)o * 4 + (ulong)k, admin, accountId, status, status != "DISABLED");
            }
        }
    }

    private static DateTime SyncTime(SeedWorld world, in Connection c, int s)
    {
        // Every 12 hours up to as-of; a disabled connection stopped syncing a month ago.
        var end = c.Status == "DISABLED" ? world.Now.AddDays(-30) : world.Now;
        var rng = world.RngFor("FundAdminSync.time", c.Key * 64 + (ulong)s);
        return Time.Ms(end.AddHours(-12 * (Structure.SyncsPerConnection - s)) + Time.Minutes(ref rng, 0, 30));
    }

    /// <summary>Result of sync <paramref name="s"/> of a connection: SUCCESS, PARTIAL_FAILURE or FAILURE.</summary>
    private static string SyncResult(SeedWorld world, in Connection c, int s)
    {
        var last = s == Structure.SyncsPerConnection - 1;
        if (c.Status == "ERROR" && s >= Structure.SyncsPerConnection - 3) return "FAILURE";
        if (last && c.Org == 2 && c.Administrator == "CARTA") return "PARTIAL_FAILURE";
        var rng = world.RngFor("FundAdminSync.result", c.Key * 64 + (ulong)s);
        var r = rng.NextDouble();
        return r < 0.85 ? "SUCCESS" : r < 0.95 ? "PARTIAL_FAILURE" : "FAILURE";
    }

    public static readonly TableSpec<FundAdminConnection> FundAdminConnections = new("FundAdminConnection",
        ["id", "organizationId", "administrator", "accountId", "credentials", "syncEnabled", "status", "lastSyncAt", "lastSyncStatus", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.OrganizationId); w.Text(e.Administrator); w.Text(e.AccountId); w.Json(e.Credentials); w.Bool(e.SyncEnabled);
            w.Text(e.Status); w.Timestamp(e.LastSyncAt); w.Text(e.LastSyncStatus); w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        world => Connections(world).Select(c =>
        {
            var rng = world.RngFor("FundAdminConnection", c.Key);
            var org = world.Org(c.Org);
            var last = Structure.SyncsPerConnection - 1;
            var lastSync = SyncTime(world, c, last);
            var created = Time.Ms(Time.Min(org.CreatedAt + Time.Days(ref rng, 5, 200), lastSync.AddDays(-20)));
            return new FundAdminConnection
            {
                Id = world.Id("FundAdminConnection", c.Key),
                OrganizationId = org.Id,
                Administrator = c.Administrator,
                AccountId = c.AccountId,
                Credentials = Credentials("seed_key_" + rng.Hex(24), "seed_secret_" + rng.Hex(32)),
                SyncEnabled = c.SyncEnabled,
                Status = c.Status,
                LastSyncAt = lastSync,
                LastSyncStatus = SyncResult(world, c, last),
                CreatedAt = created,
                UpdatedAt = lastSync,
            };
        }),
        p => p.FundAdminConnections);

    private static string Credentials(string apiKey, string apiSecret)
    {
        var json = Json.Start();
        json.WriteStartObject();
        json.WriteString("apiKey", apiKey);
        json.WriteString("apiSecret", apiSecret);
        json.WriteString("environment", "sandbox");
        json.WriteEndObject();
        return Json.Finish(json);
    }

    private static string WebhookPayload(string eventId, string eventType, string accountId, string sourceIp, string externalId)
    {
        var json = Json.Start();
        json.WriteStartObject();
        json.WriteString("id", eventId);
        json.WriteString("type", eventType);
        json.WriteString("accountId", accountId);
        json.WriteString("sourceIp", sourceIp);
        json.WriteStartObject("data");
        json.WriteString("externalId", externalId);
        json.WriteEndObject();
        json.WriteEndObject();
        return Json.Finish(json);
    }

    public static readonly TableSpec<FundMapping> FundMappings = new("FundMapping",
        ["id", "fundAdministrator", "externalFundCode", "fundName", "fundType", "vintage", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.FundAdministrator); w.Text(e.ExternalFundCode); w.Text(e.FundName); w.Text(e.FundType); w.Int(e.Vintage);
            w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        world => Enumerable.Range(0, world.FundCount).Select(f =>
        {
            var fund = world.Fund(f);
            var rng = world.RngFor("FundMapping", (ulong)f);
            var created = Time.Ms(world.Now - Time.Days(ref rng, 200, 1800));
            return new FundMapping
            {
                Id = world.Id("FundMapping", (ulong)f),
                FundAdministrator = fund.Administrator,
                ExternalFundCode = fund.Code,
                FundName = fund.Name,
                FundType = fund.FundType,
                Vintage = fund.Vintage,
                CreatedAt = created,
                UpdatedAt = Time.Ms(created + Time.Days(ref rng, 0, 100)),
            };
        }),
        p => p.Funds);

    public static readonly TableSpec<InvestorMapping> InvestorMappings = new("InvestorMapping",
        ["id", "fundAdministrator", "externalInvestorId", "userId", "investorName", "email", "commitment", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.FundAdministrator); w.Text(e.ExternalInvestorId); w.Text(e.UserId); w.Text(e.InvestorName); w.Text(e.Email);
            w.Money(e.Commitment); w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateInvestorMappings,
        p => p.Commitments);

    private static IEnumerable<InvestorMapping> GenerateInvestorMappings(SeedWorld world)
    {
        var calls = new CallSkeleton[Structure.MaxCallsPerCommitment];
        for (var c = 0; c < world.Plan.Commitments; c++)
        {
            var m = world.Commitment(c);
            world.CallsFor(m, calls);
            var rng = world.RngFor("InvestorMapping", (ulong)c);
            // Mapped shortly before the first call arrived.
            var created = Time.Ms(calls[0].Uploaded - Time.Days(ref rng, 1, 60));
            yield return new InvestorMapping
            {
                Id = world.Id("InvestorMapping", (ulong)c),
                FundAdministrator = world.Fund(m.Fund).Administrator,
                ExternalInvestorId = m.ExternalInvestorId,
                UserId = world.UserId(m.Owner),
                InvestorName = m.InvestorName,
                Email = m.InvestorEmail,
                Commitment = m.CommitmentCents / 100m,
                CreatedAt = created,
                UpdatedAt = Time.Ms(Time.Min(created + Time.Days(ref rng, 0, 30), calls[0].Uploaded)),
            };
        }
    }

    public static readonly TableSpec<UnmappedInvestor> UnmappedInvestors = new("UnmappedInvestor",
        ["id", "fundAdministrator", "externalInvestorId", "investorName", "email", "fundId", "needsMapping", "mappedAt", "createdAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.FundAdministrator); w.Text(e.ExternalInvestorId); w.Text(e.InvestorName); w.Text(e.Email); w.Text(e.FundId);
            w.Bool(e.NeedsMapping); w.Timestamp(e.MappedAt); w.Timestamp(e.CreatedAt);
        },
        GenerateUnmapped,
        p => p.FundAdminConnections * Structure.UnmappedPerConnection);

    private static IEnumerable<UnmappedInvestor> GenerateUnmapped(SeedWorld world)
    {
        var faker = world.FakerFor("UnmappedInvestor");
        foreach (var c in Connections(world))
        {
            for (var i = 0; i < Structure.UnmappedPerConnection; i++)
            {
                var key = c.Key * 8 + (ulong)i;
                var rng = world.RngFor("UnmappedInvestor", key);
                var first = faker.Name.FirstName();
                var last = faker.Name.LastName();
                var adminIndex = Array.IndexOf(Structure.AdminCodes, c.Administrator);
                var fund = world.FundCount > adminIndex ? world.Fund(adminIndex + Structure.AdminCodes.Length * rng.Next(Math.Max(1, (world.FundCount - adminIndex) / Structure.AdminCodes.Length))) : world.Fund(0);
                var created = Time.Ms(world.Now - Time.Days(ref rng, 1, 200));
                var resolved = i % 2 == 1;
                yield return new UnmappedInvestor
                {
                    Id = world.Id("UnmappedInvestor", key),
                    FundAdministrator = c.Administrator,
                    ExternalInvestorId = $"{SeedWorld.AdminPrefix(c.Administrator)}-UNM-{c.Org:D6}{c.K}{i}",
                    InvestorName = $"{first} {last}",
                    Email = $"{TenancyTables.Clean(first)}.{TenancyTables.Clean(last)}@investors.example",
                    FundId = fund.Code,
                    NeedsMapping = !resolved,
                    MappedAt = resolved ? Time.Ms(created + Time.Days(ref rng, 0.1, Math.Max(0.2, (world.Now - created).TotalDays))) : null,
                    CreatedAt = created,
                };
            }
        }
    }

    private static readonly string[] SyncErrors =
    [
        "Missing wire instructions on notice", "Unknown investor id", "Fund code not mapped", "Amount does not match allocation",
        "Duplicate capital call notice", "Rate limited by administrator API (HTTP 429)",
    ];

    public static readonly TableSpec<FundAdminSync> FundAdminSyncs = new("FundAdminSync",
        ["id", "administrator", "accountId", "syncType", "totalRecords", "successCount", "failureCount", "errors", "syncedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.Administrator); w.Text(e.AccountId); w.Text(e.SyncType); w.Int(e.TotalRecords); w.Int(e.SuccessCount);
            w.Int(e.FailureCount); w.Json(e.Errors); w.Timestamp(e.SyncedAt);
        },
        GenerateSyncs,
        p => p.FundAdminConnections * Structure.SyncsPerConnection);

    private static IEnumerable<FundAdminSync> GenerateSyncs(SeedWorld world)
    {
        foreach (var c in Connections(world))
        {
            for (var s = 0; s < Structure.SyncsPerConnection; s++)
            {
                var key = c.Key * 64 + (ulong)s;
                var rng = world.RngFor("FundAdminSync", key);
                var result = SyncResult(world, c, s);
                var total = rng.Next(5, 400);
                var failures = result switch { "SUCCESS" => 0, "FAILURE" => total, _ => rng.Next(1, Math.Max(2, total / 5)) };
                string? errors = null;
                if (failures > 0)
                {
                    var json = Json.Start();
                    json.WriteStartArray();
                    for (var i = 0; i < Math.Min(failures, 3); i++)
                    {
                        json.WriteStartObject();
                        json.WriteString("externalId", $"{SeedWorld.AdminPrefix(c.Administrator)}-CC-{rng.Digits(7)}");
                        json.WriteString("code", i == 0 && result == "FAILURE" ? "CONNECTION_ERROR" : "VALIDATION_ERROR");
                        json.WriteString("message", result == "FAILURE" && i == 0 ? "Authentication failed: administrator rejected the API credentials" : rng.Pick(SyncErrors));
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    errors = Json.Finish(json);
                }
                yield return new FundAdminSync
                {
                    Id = world.Id("FundAdminSync", key),
                    Administrator = c.Administrator,
                    AccountId = c.AccountId,
                    SyncType = s % 3 == 2 ? "INVESTORS" : "CAPITAL_CALLS",
                    TotalRecords = total,
                    SuccessCount = total - failures,
                    FailureCount = failures,
                    Errors = errors,
                    SyncedAt = SyncTime(world, c, s),
                };
            }
        }
    }

    private static readonly string[] WebhookEvents = ["capital_call.created", "capital_call.updated", "investor.updated", "distribution.announced", "nav.updated"];

    public static readonly TableSpec<WebhookLog> WebhookLogs = new("WebhookLog",
        ["id", "source", "eventType", "eventId", "payload", "processedAt"],
        (w, e) => { w.Text(e.Id); w.Text(e.Source); w.Text(e.EventType); w.Text(e.EventId); w.Json(e.Payload); w.Timestamp(e.ProcessedAt); },
        GenerateWebhookLogs,
        p => p.FundAdminConnections * Structure.WebhookLogsPerConnection);

    private static IEnumerable<WebhookLog> GenerateWebhookLogs(SeedWorld world)
    {
        foreach (var c in Connections(world))
        {
            for (var i = 0; i < Structure.WebhookLogsPerConnection; i++)
            {
                var key = c.Key * 64 + (ulong)i;
                var rng = world.RngFor("WebhookLog", key);
                var eventType = rng.Pick(WebhookEvents);
                var processed = Time.Ms(world.Now - Time.Days(ref rng, 0.01, 180));
                var eventId = $"evt_{SeedWorld.AdminPrefix(c.Administrator).ToLowerInvariant()}_{Ids.Cuid(world.StreamSeed("WebhookLog.event"), key)[1..]}";
                yield return new WebhookLog
                {
                    Id = world.Id("WebhookLog", key),
                    Source = c.Administrator,
                    EventType = eventType,
                    EventId = eventId,
                    Payload = WebhookPayload(eventId, eventType, c.AccountId, DocIps.For(rng.NextULong()), $"{SeedWorld.AdminPrefix(c.Administrator)}-CC-{rng.Digits(7)}"),
                    ProcessedAt = processed,
                };
            }
        }
    }
}
