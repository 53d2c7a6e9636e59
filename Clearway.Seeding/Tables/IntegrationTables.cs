using Clearway.Data.Entities;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;

namespace Clearway.Seeding.Tables;

/// <summary>Accounting connections and transactions, e-signature requests, outgoing webhooks and their deliveries.</summary>
internal static class IntegrationTables
{
    private static ulong AccountingKey(int org, int p) => (ulong)org * 4 + (ulong)p;

    public static readonly TableSpec<AccountingConnection> AccountingConnections = new("AccountingConnection",
        ["id", "organizationId", "provider", "accessToken", "refreshToken", "realmId", "expiresAt", "config", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.OrganizationId); w.Text(e.Provider); w.Text(e.AccessToken); w.Text(e.RefreshToken); w.Text(e.RealmId);
            w.Timestamp(e.ExpiresAt); w.Json(e.Config); w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateAccountingConnections,
        p => p.AccountingConnections);

    private static IEnumerable<AccountingConnection> GenerateAccountingConnections(SeedWorld world)
    {
        for (var o = 0; o < world.OrgCount; o++)
        {
            var providers = Structure.AccountingProvidersOf(o);
            var org = world.Org(o);
            for (var p = 0; p < providers.Count; p++)
            {
                var key = AccountingKey(o, p);
                var rng = world.RngFor("AccountingConnection", key);
                var provider = providers[p];
                var created = Time.Ms(org.CreatedAt + Time.Days(ref rng, 10, Math.Max(11, (world.Now - org.CreatedAt).TotalDays - 30)));
                var refreshed = Time.Ms(world.Now - Time.Days(ref rng, 0.1, 20));
                var tag = provider.ToLowerInvariant();
                yield return new AccountingConnection
                {
                    Id = world.Id("AccountingConnection", key),
                    OrganizationId = org.Id,
                    Provider = provider,
                    AccessToken = $"seed_{tag}_access_{rng.Hex(40)}",
                    RefreshToken = $"seed_{tag}_refresh_{rng.Hex(40)}",
                    RealmId = provider == "QUICKBOOKS" ? rng.Digits(16) : null,
                    // Access tokens live an hour (QuickBooks) to 30 minutes (Xero); some have lapsed since the last refresh.
                    ExpiresAt = rng.Chance(0.7) ? Time.Ms(world.Now + Time.Minutes(ref rng, 1, 60)) : refreshed.AddHours(1),
                    Config = AccountingConfig(provider, ref rng),
                    CreatedAt = created,
                    UpdatedAt = refreshed,
                };
            }
        }
    }

    private static string AccountingConfig(string provider, ref Rng rng)
    {
        var json = Json.Start();
        json.WriteStartObject();
        switch (provider)
        {
            case "QUICKBOOKS":
                json.WriteString("capitalCallsAccount", "1000");
                json.WriteString("revenueAccount", "4000");
                json.WriteString("clearingAccount", "1010");
                json.WriteString("syncMode", "AUTO");
                break;
            case "XERO":
                json.WriteString("tenantId", "seed_tenant_" + rng.Hex(12));
                json.WriteString("capitalCallsAccount", "610");
                json.WriteString("bankAccountCode", "090");
                json.WriteString("syncMode", "AUTO");
                break;
            default:
                json.WriteString("accountId", "seed_" + rng.Digits(7));
                json.WriteString("subsidiary", "1");
                json.WriteString("capitalCallsAccount", "1200");
                json.WriteString("syncMode", "MANUAL");
                break;
        }
        json.WriteEndObject();
        return Json.Finish(json);
    }

    private static string DeliveryPayload(string eventId, string eventType, DateTime delivered)
    {
        var json = Json.Start();
        json.WriteStartObject();
        json.WriteString("id", eventId);
        json.WriteString("type", eventType);
        json.WriteInstant("createdAt", delivered);
        json.WriteStartObject("data");
        json.WriteString("object", eventType.Split('.')[0]);
        json.WriteEndObject();
        json.WriteEndObject();
        return Json.Finish(json);
    }

    public static readonly TableSpec<AccountingTransaction> AccountingTransactions = new("AccountingTransaction",
        ["id", "capitalCallId", "provider", "externalId", "type", "amount", "status", "connectionId", "createdAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.CapitalCallId); w.Text(e.Provider); w.Text(e.ExternalId); w.Text(e.Type); w.Money(e.Amount); w.Text(e.Status);
            w.Text(e.ConnectionId); w.Timestamp(e.CreatedAt);
        },
        GenerateAccountingTransactions,
        p => (long)Math.Round(p.CapitalCalls * 0.8), estimate: true);

    private static IEnumerable<AccountingTransaction> GenerateAccountingTransactions(SeedWorld world)
    {
        foreach (var (m, call) in CallTables.AllCalls(world))
        {
            if (call.Status != CapitalCallStatus.Paid || m.OwnerOrg < 0) continue;
            var providers = Structure.AccountingProvidersOf(m.OwnerOrg);
            if (providers.Count == 0) continue;
            var rng = new Rng(call.Salt ^ 0xACC7);
            var provider = providers[0];
            var connectionId = world.Id("AccountingConnection", AccountingKey(m.OwnerOrg, 0));
            var callId = world.CallId(call.Key);
            var recent = world.Now - call.Paid!.Value < TimeSpan.FromDays(2);
            for (var n = 0; n < 2; n++)
            {
                if (n == 1 && !rng.Chance(0.7)) break;
                var key = call.Key * 2 + (ulong)n;
                var created = Time.Ms(Time.Min(call.Paid.Value + Time.Minutes(ref rng, 2, 24 * 60), world.Now.AddMinutes(-1)));
                var r = rng.NextDouble();
                yield return new AccountingTransaction
                {
                    Id = world.Id("AccountingTransaction", key),
                    CapitalCallId = callId,
                    Provider = provider,
                    ExternalId = provider switch
                    {
                        "QUICKBOOKS" => (n == 0 ? "JE-" : "DEP-") + rng.Digits(6),
                        "XERO" => Guid(ref rng),
                        _ => rng.Digits(7),
                    },
                    Type = n == 0 ? "JOURNAL_ENTRY" : "DEPOSIT",
                    Amount = call.Amount,
                    Status = recent ? "PENDING" : r < 0.93 ? "SYNCED" : "FAILED",
                    ConnectionId = connectionId,
                    CreatedAt = created,
                };
            }
        }
    }

    private static string Guid(ref Rng rng)
    {
        var h = rng.Hex(32);
        return $"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..]}";
    }

    public static readonly TableSpec<SignatureRequest> SignatureRequests = new("SignatureRequest",
        ["id", "capitalCallId", "provider", "envelopeId", "status", "signers", "completedAt", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.CapitalCallId); w.Text(e.Provider); w.Text(e.EnvelopeId); w.Text(e.Status); w.TextArray(e.Signers);
            w.Timestamp(e.CompletedAt); w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateSignatureRequests,
        p => (long)Math.Round(p.CapitalCalls * 0.4), estimate: true);

    private static readonly string[] SignatureProviders = ["DOCUSIGN", "HELLOSIGN", "ADOBE_SIGN"];

    private static IEnumerable<SignatureRequest> GenerateSignatureRequests(SeedWorld world)
    {
        foreach (var (m, call) in CallTables.AllCalls(world))
        {
            if (call.Reviewed is null) continue;
            var rng = new Rng(call.Salt ^ 0x5167);
            if (call.Seq != 1 && !rng.Chance(0.3)) continue;
            var provider = rng.Pick(SignatureProviders);
            var sent = Time.Ms(Time.Min((call.Approved ?? call.Reviewed.Value) + Time.Minutes(ref rng, 1, 120), world.Now.AddMinutes(-1)));
            string status;
            DateTime? completed = null;
            var updated = sent;
            if (call.Status == CapitalCallStatus.Rejected)
            {
                status = "VOIDED";
                updated = Time.Ms(Time.Min(sent + Time.Minutes(ref rng, 5, 600), world.Now));
            }
            else if (call.Status == CapitalCallStatus.Paid)
            {
                var r = rng.NextDouble();
                status = r < 0.9 ? "COMPLETED" : r < 0.95 ? "DECLINED" : "VOIDED";
                updated = Time.Ms(Time.Min(sent + Time.Minutes(ref rng, 10, 3 * 24 * 60), world.Now));
                if (status == "COMPLETED") completed = updated;
            }
            else
            {
                status = rng.Chance(0.5) ? "SENT" : "DELIVERED";
                if (status == "DELIVERED") updated = Time.Ms(Time.Min(sent + Time.Minutes(ref rng, 1, 120), world.Now));
            }
            var envelopeHash = Ids.Cuid(world.StreamSeed("SignatureRequest.envelope"), call.Key);
            yield return new SignatureRequest
            {
                Id = world.Id("SignatureRequest", call.Key),
                CapitalCallId = world.CallId(call.Key),
                Provider = provider,
                EnvelopeId = provider switch
                {
                    "DOCUSIGN" => envelopeHash[1..9] + "-" + envelopeHash[9..13] + "-" + envelopeHash[13..17] + "-" + envelopeHash[17..25],
                    "HELLOSIGN" => "seed" + envelopeHash[1..],
                    _ => "CBJCHBCAABAA" + envelopeHash[1..].ToUpperInvariant(),
                },
                Status = status,
                Signers = [m.InvestorEmail, world.User(m.Owner).Email],
                CompletedAt = completed,
                CreatedAt = sent,
                UpdatedAt = updated,
            };
        }
    }

    private static readonly string[] EndpointEvents =
        ["capital_call.created", "capital_call.approved", "capital_call.paid", "document.uploaded", "payment.completed", "payment.failed"];

    public static readonly TableSpec<WebhookEndpoint> WebhookEndpoints = new("WebhookEndpoint",
        ["id", "userId", "url", "events", "secret", "enabled", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.UserId); w.Text(e.Url); w.TextArray(e.Events); w.Text(e.Secret); w.Bool(e.Enabled);
            w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateEndpoints,
        p => p.WebhookEndpoints);

    internal static IEnumerable<(int User, string[] Events)> Endpoints(SeedWorld world)
    {
        for (var u = 0; u < world.UserCount; u++)
        {
            if (!Structure.HasWebhookEndpoint(u, world.OrgCount)) continue;
            var rng = world.RngFor("WebhookEndpoint.events", (ulong)u);
            var events = EndpointEvents.Where((_, i) => i < 2 || rng.Chance(0.5)).ToArray();
            yield return (u, events);
        }
    }

    private static IEnumerable<WebhookEndpoint> GenerateEndpoints(SeedWorld world)
    {
        foreach (var (u, events) in Endpoints(world))
        {
            var user = world.User(u);
            var rng = world.RngFor("WebhookEndpoint", (ulong)u);
            var host = user.OrgIndex >= 0 ? "hooks." + world.Org(user.OrgIndex).Domain : "hooks.example.com";
            var created = Time.Ms(Time.Min(user.CreatedAt + Time.Days(ref rng, 1, 60), world.Now.AddDays(-75)));
            yield return new WebhookEndpoint
            {
                Id = world.Id("WebhookEndpoint", (ulong)u),
                UserId = user.Id,
                Url = $"https://{host}/clearway/webhooks/{rng.Base36(8)}",
                Events = events,
                Secret = "whsec_test_" + rng.Hex(32),
                Enabled = u < Structure.PersonaUsers || rng.Chance(0.85),
                CreatedAt = created,
                UpdatedAt = Time.Ms(created + Time.Days(ref rng, 0, 30)),
            };
        }
    }

    public static readonly TableSpec<WebhookDelivery> WebhookDeliveries = new("WebhookDelivery",
        ["id", "webhookEndpointId", "eventType", "status", "statusCode", "error", "payload", "deliveredAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.WebhookEndpointId); w.Text(e.EventType); w.Text(e.Status); w.Int(e.StatusCode); w.Text(e.Error);
            w.Json(e.Payload); w.Timestamp(e.DeliveredAt);
        },
        GenerateDeliveries,
        p => p.WebhookEndpoints * Structure.DeliveriesPerEndpoint);

    private static readonly (int Code, string Error)[] Failures =
    [
        (400, "HTTP 400 Bad Request"), (401, "HTTP 401 Unauthorized: signature verification failed"), (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone"), (422, "HTTP 422 Unprocessable Entity"), (500, "HTTP 500 Internal Server Error"),
        (502, "HTTP 502 Bad Gateway"), (503, "HTTP 503 Service Unavailable"), (504, "HTTP 504 Gateway Timeout"),
    ];

    private static IEnumerable<WebhookDelivery> GenerateDeliveries(SeedWorld world)
    {
        foreach (var (u, events) in Endpoints(world))
        {
            var endpointId = world.Id("WebhookEndpoint", (ulong)u);
            for (var d = 0; d < Structure.DeliveriesPerEndpoint; d++)
            {
                var key = (ulong)u * 64 + (ulong)d;
                var rng = world.RngFor("WebhookDelivery", key);
                var eventType = rng.Pick(events);
                var delivered = Time.Ms(world.Now.AddDays(-2.3 * (Structure.DeliveriesPerEndpoint - d)) + Time.Minutes(ref rng, 0, 24 * 60));
                var pending = d >= Structure.DeliveriesPerEndpoint - 2 && rng.Chance(0.5);
                var r = rng.NextDouble();
                string status;
                int? code = null;
                string? error = null;
                if (pending) status = "PENDING";
                else if (r < 0.8) { status = "SUCCESS"; code = rng.Pick([200, 200, 200, 202, 204]); }
                else if (r < 0.95) { status = "FAILED"; (code, error) = rng.Pick(Failures); }
                else { status = "FAILED"; error = "Timed out after 30000 ms waiting for a response"; }
                var eventId = "evt_seed_" + Ids.Cuid(world.StreamSeed("WebhookDelivery.event"), key)[1..];
                yield return new WebhookDelivery
                {
                    Id = world.Id("WebhookDelivery", key),
                    WebhookEndpointId = endpointId,
                    EventType = eventType,
                    Status = status,
                    StatusCode = code,
                    Error = error,
                    Payload = DeliveryPayload(eventId, eventType, delivered),
                    DeliveredAt = delivered,
                };
            }
        }
    }
}
