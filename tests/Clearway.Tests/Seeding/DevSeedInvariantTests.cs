using Clearway.Tests.Infrastructure;
using System.Text.RegularExpressions;
using Clearway.Seeding;
using Npgsql;

namespace Clearway.Tests.Seeding;

/// <summary>The dev profile's data: every domain invariant of the issue as a query, every status value (D4), D5, the views.</summary>
public sealed partial class DevSeedInvariantTests(DevSeedFixture fixture) : IClassFixture<DevSeedFixture>
{
    private TestDatabase Db => fixture.Database;
    private static string AsOf => DevSeedFixture.AsOf;

    /// <summary>Each query counts the rows that break one invariant; all must be zero.</summary>
    public static TheoryData<string, string> Violations => new()
    {
        // Investors, commitments, numbering.
        { "calls of one investor never exceed the commitment", """
            SELECT count(*) FROM (SELECT m.id FROM "InvestorMapping" m JOIN "CapitalCall" c ON c."investorAccount" = m."externalInvestorId" AND c."userId" = m."userId"
            GROUP BY m.id, m.commitment HAVING sum(c."amountDue") > m.commitment) x
            """ },
        { "every call belongs to an investor mapping of its owner", """
            SELECT count(*) FROM "CapitalCall" c WHERE NOT EXISTS (SELECT 1 FROM "InvestorMapping" m WHERE m."externalInvestorId" = c."investorAccount" AND m."userId" = c."userId" AND m.email = c."investorEmail")
            """ },
        { "an investor account calls one fund only", """SELECT count(*) FROM (SELECT "investorAccount" FROM "CapitalCall" GROUP BY 1 HAVING count(DISTINCT "fundName") > 1) x""" },
        { "calls are numbered 1..n in due-date order per investor", """
            SELECT count(*) FROM (SELECT substring("wireReference" from '-CC-([0-9]+)$')::int AS n,
                row_number() OVER (PARTITION BY "investorAccount" ORDER BY "dueDate") AS r FROM "CapitalCall") x WHERE n IS DISTINCT FROM r
            """ },
        { "every fund name on a call is a FundMapping", """SELECT count(*) FROM "CapitalCall" c WHERE NOT EXISTS (SELECT 1 FROM "FundMapping" f WHERE f."fundName" = c."fundName")""" },
        // Call <-> document.
        { "document status matches call status", """
            SELECT count(*) FROM "CapitalCall" c JOIN "Document" d ON d.id = c."documentId" WHERE NOT (
              (c.status = 'PENDING_REVIEW' AND d.status = 'REVIEW') OR (c.status IN ('APPROVED', 'PAID') AND d.status = 'APPROVED') OR (c.status = 'REJECTED' AND d.status = 'REJECTED'))
            """ },
        { "call and document have the same owner and organisation", """
            SELECT count(*) FROM "CapitalCall" c JOIN "Document" d ON d.id = c."documentId" WHERE d."userId" <> c."userId" OR d."organizationId" IS DISTINCT FROM c."organizationId"
            """ },
        { "documents without a call are only PENDING, PROCESSING or FAILED", """
            SELECT count(*) FROM "Document" d WHERE NOT EXISTS (SELECT 1 FROM "CapitalCall" c WHERE c."documentId" = d.id) AND d.status NOT IN ('PENDING', 'PROCESSING', 'FAILED')
            """ },
        { "uploadedAt <= extractedAt <= reviewedAt <= approvedAt <= paidAt", """
            SELECT count(*) FROM "CapitalCall" c JOIN "Document" d ON d.id = c."documentId" WHERE d."uploadedAt" > c."extractedAt"
              OR c."reviewedAt" < c."extractedAt" OR c."approvedAt" < c."reviewedAt" OR c."paidAt" < c."approvedAt"
              OR (c."approvedAt" IS NOT NULL AND c."reviewedAt" IS NULL) OR (c."paidAt" IS NOT NULL AND c."approvedAt" IS NULL)
            """ },
        { "dueDate is 7-15 business days after the notice", """
            SELECT count(*) FROM "CapitalCall" c WHERE (SELECT count(*) FROM generate_series(c."extractedAt"::date + 1, c."dueDate"::date, interval '1 day') g(d)
              WHERE extract(isodow FROM g.d) < 6) NOT BETWEEN 7 AND 15
            """ },
        { "routing numbers have valid ABA check digits", """
            SELECT count(*) FROM "CapitalCall" WHERE "routingNumber" !~ '^[0-9]{9}$' OR (
              3 * (substr("routingNumber",1,1)::int + substr("routingNumber",4,1)::int + substr("routingNumber",7,1)::int)
            + 7 * (substr("routingNumber",2,1)::int + substr("routingNumber",5,1)::int + substr("routingNumber",8,1)::int)
            +     (substr("routingNumber",3,1)::int + substr("routingNumber",6,1)::int + substr("routingNumber",9,1)::int)) % 10 <> 0
            """ },
        { "account numbers are masked", """SELECT count(*) FROM "CapitalCall" WHERE "accountNumber" !~ '^X{5}[0-9]{4}$'""" },
        { "amounts are $10k-$25M in USD, EUR or GBP", """SELECT count(*) FROM "CapitalCall" WHERE "amountDue" < 10000 OR "amountDue" > 25000000 OR currency NOT IN ('USD', 'EUR', 'GBP')""" },
        // Status against as-of.
        { "calls not yet due are PENDING_REVIEW or APPROVED", $"""SELECT count(*) FROM "CapitalCall" WHERE "dueDate" > '{AsOf}' AND status NOT IN ('PENDING_REVIEW', 'APPROVED')""" },
        { "paidAt is set exactly on PAID calls, before as-of", $"""SELECT count(*) FROM "CapitalCall" WHERE (status = 'PAID') <> ("paidAt" IS NOT NULL) OR "paidAt" > '{AsOf}'""" },
        { "PAID calls' payments sum to amountDue (unless overpaid)", """
            SELECT count(*) FROM "CapitalCall" c WHERE c.status = 'PAID'
              AND NOT EXISTS (SELECT 1 FROM "Payment" p WHERE p."capitalCallId" = c.id AND p.status = 'OVERPAID' AND p.amount > c."amountDue")
              AND coalesce((SELECT sum(p.amount) FROM "Payment" p WHERE p."capitalCallId" = c.id AND p.status IN ('COMPLETED', 'PARTIAL', 'RECONCILED')), 0) <> c."amountDue"
            """ },
        { "OVERPAID payments exceed their call", """SELECT count(*) FROM "Payment" p JOIN "CapitalCall" c ON c.id = p."capitalCallId" WHERE p.status = 'OVERPAID' AND p.amount <= c."amountDue" """ },
        { "REJECTED and PENDING_REVIEW calls have no payments", """SELECT count(*) FROM "Payment" p JOIN "CapitalCall" c ON c.id = p."capitalCallId" WHERE c.status IN ('REJECTED', 'PENDING_REVIEW')""" },
        { "unpaid calls' partial payments stay below the call", """
            SELECT count(*) FROM "CapitalCall" c WHERE c.status = 'APPROVED' AND coalesce((SELECT sum(amount) FROM "Payment" p WHERE p."capitalCallId" = c.id AND p.status = 'PARTIAL'), 0) >= c."amountDue"
            """ },
        { "payments are in the call's currency, by its owner", """SELECT count(*) FROM "Payment" p JOIN "CapitalCall" c ON c.id = p."capitalCallId" WHERE p.currency <> c.currency OR p."userId" <> c."userId" """ },
        { "FAILED payments have a reason; on a PAID call a later successful retry", """
            SELECT count(*) FROM "Payment" f JOIN "CapitalCall" c ON c.id = f."capitalCallId" WHERE f.status = 'FAILED' AND (f."failureReason" IS NULL OR (c.status = 'PAID'
              AND NOT EXISTS (SELECT 1 FROM "Payment" r WHERE r."capitalCallId" = c.id AND r.status IN ('COMPLETED', 'RECONCILED') AND r."paidAt" > f."paidAt")))
            """ },
        { "only FAILED payments have a failure reason", """SELECT count(*) FROM "Payment" WHERE status <> 'FAILED' AND "failureReason" IS NOT NULL""" },
        { "RECONCILED payments point at a statement of the payer's bank account covering the payment", """
            SELECT count(*) FROM "Payment" p WHERE (p.status = 'RECONCILED') <> (p."bankStatementId" IS NOT NULL) OR (p.status = 'RECONCILED' AND (p."reconciledAt" IS NULL OR p."reconciledBy" IS NULL
              OR p."reconciledAt" < p."paidAt" OR NOT EXISTS (SELECT 1 FROM "StatementReconciliation" s JOIN "BankAccount" b ON b.id = s."bankAccountId"
                WHERE s.id = p."bankStatementId" AND b."userId" = p."userId" AND p."paidAt" BETWEEN s."startDate" AND s."endDate")))
            """ },
        { "statement counts add up", """SELECT count(*) FROM "StatementReconciliation" WHERE "matchedCount" + "unmatchedCount" <> "totalTransactions" OR ("unmatchedCount" > 0) <> (discrepancies IS NOT NULL)""" },
        // Fund administrators and synced calls.
        { "synced calls carry source + externalId and a placeholder document", """
            SELECT count(*) FROM "CapitalCall" c JOIN "Document" d ON d.id = c."documentId" WHERE (c.source <> 'DOCUMENT_UPLOAD') <> (c."externalId" IS NOT NULL)
              OR (c.source <> 'DOCUMENT_UPLOAD' AND (d."fileSize" <> 0 OR d."mimeType" <> 'application/json' OR d."fileUrl" NOT LIKE '%://fundadmin.test/capital-calls/' || c."externalId"))
              OR (c.source = 'DOCUMENT_UPLOAD' AND (d."mimeType" <> 'application/pdf' OR d."fileSize" = 0))
            """ },
        { "synced calls come from an administrator their organisation is connected to", """
            SELECT count(*) FROM "CapitalCall" c WHERE c.source <> 'DOCUMENT_UPLOAD' AND NOT EXISTS (SELECT 1 FROM "FundAdminConnection" f WHERE f."organizationId" = c."organizationId" AND f.administrator = c.source)
            """ },
        { "connection lastSyncStatus is its latest sync's outcome; ERROR connections last failed", """
            SELECT count(*) FROM "FundAdminConnection" f CROSS JOIN LATERAL (SELECT * FROM "FundAdminSync" s WHERE s.administrator = f.administrator AND s."accountId" = f."accountId" ORDER BY s."syncedAt" DESC LIMIT 1) s
            WHERE f."lastSyncStatus" <> CASE WHEN s."failureCount" = 0 THEN 'SUCCESS' WHEN s."successCount" = 0 THEN 'FAILURE' ELSE 'PARTIAL_FAILURE' END
              OR f."lastSyncAt" <> s."syncedAt" OR (f.status = 'ERROR' AND f."lastSyncStatus" <> 'FAILURE') OR (f.status = 'DISABLED') = f."syncEnabled"
            """ },
        { "sync counts add up and failures carry error JSON", """SELECT count(*) FROM "FundAdminSync" WHERE "successCount" + "failureCount" <> "totalRecords" OR ("failureCount" > 0) <> (errors IS NOT NULL)""" },
        { "unmapped investors: resolved ones have mappedAt", """SELECT count(*) FROM "UnmappedInvestor" WHERE "needsMapping" = ("mappedAt" IS NOT NULL)""" },
        // Tenancy.
        { "every user of an organisation is a member of it, once", """
            SELECT count(*) FROM "User" u WHERE u."organizationId" IS NOT NULL AND (SELECT count(*) FROM "OrganizationMember" m WHERE m."userId" = u.id AND m."organizationId" = u."organizationId") <> 1
            """ },
        { "members carry their role's permissions", """
            SELECT count(*) FROM "OrganizationMember" m WHERE NOT EXISTS (SELECT 1 FROM "OrganizationRole" r WHERE r."organizationId" = m."organizationId" AND r.name = m.role AND r.permissions = m.permissions)
            """ },
        { "permissions are resource:action", """SELECT count(*) FROM "OrganizationRole" r, unnest(r.permissions) p WHERE p !~ '^[a-z_]+:([a-z_]+|\*)$'""" },
        { "invites are accepted before they expire, by an org member", """
            SELECT count(*) FROM "OrganizationInvite" i WHERE i."acceptedAt" > i."expiresAt" OR i."expiresAt" <> i."createdAt" + interval '7 days'
              OR NOT EXISTS (SELECT 1 FROM "User" u WHERE u.id = i."invitedBy")
            """ },
        { "SSO only on paid plans", """SELECT count(*) FROM "SSOConnection" s JOIN "Organization" o ON o.id = s."organizationId" WHERE o.plan = 'STARTER'""" },
        // Integrations.
        { "accounting transactions only for PAID calls of the connection's organisation", """
            SELECT count(*) FROM "AccountingTransaction" t JOIN "CapitalCall" c ON c.id = t."capitalCallId" JOIN "AccountingConnection" a ON a.id = t."connectionId"
            WHERE c.status <> 'PAID' OR a."organizationId" <> c."organizationId" OR a.provider <> t.provider OR t.amount <> c."amountDue" OR t."createdAt" < c."paidAt"
            """ },
        { "signature requests: completedAt exactly on COMPLETED", """SELECT count(*) FROM "SignatureRequest" WHERE (status = 'COMPLETED') <> ("completedAt" IS NOT NULL)""" },
        { "signature requests only for reviewed calls", """SELECT count(*) FROM "SignatureRequest" s JOIN "CapitalCall" c ON c.id = s."capitalCallId" WHERE c."reviewedAt" IS NULL OR s."createdAt" < c."reviewedAt" """ },
        { "webhook deliveries: status vs HTTP code", """
            SELECT count(*) FROM "WebhookDelivery" WHERE (status = 'SUCCESS' AND ("statusCode" NOT BETWEEN 200 AND 299 OR error IS NOT NULL))
              OR (status = 'FAILED' AND (error IS NULL OR "statusCode" BETWEEN 200 AND 299)) OR (status = 'PENDING' AND ("statusCode" IS NOT NULL OR error IS NOT NULL))
            """ },
        { "webhook deliveries only for subscribed events", """SELECT count(*) FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e.id = d."webhookEndpointId" WHERE NOT d."eventType" = ANY (e.events)""" },
        // Compliance and reporting.
        { "audit events name existing users and entities", """
            SELECT count(*) FROM "AuditLog" a WHERE NOT EXISTS (SELECT 1 FROM "User" u WHERE u.id = a."userId")
              OR (a."entityType" = 'CapitalCall' AND NOT EXISTS (SELECT 1 FROM "CapitalCall" c WHERE c.id = a."entityId" AND c."userId" = a."userId"))
              OR (a."entityType" = 'Document' AND NOT EXISTS (SELECT 1 FROM "Document" d WHERE d.id = a."entityId"))
            """ },
        { "legal holds: released after created", """SELECT count(*) FROM "LegalHold" WHERE "releasedAt" <= "createdAt" """ },
        { "report executions after the report was created", """SELECT count(*) FROM "ReportExecution" e JOIN "ScheduledReport" r ON r.id = e."scheduledReportId" WHERE e."executedAt" < r."createdAt" OR (e.status = 'FAILED') <> (e.error IS NOT NULL)""" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Invariant_holds(string invariant, string sql)
    {
        var violations = await Db.ScalarAsync<long>(sql);
        Assert.True(violations == 0, $"{invariant}: {violations} violating rows");
    }

    [Fact]
    public async Task Distributions_look_like_a_real_book()
    {
        var pastDue = await Db.ScalarAsync<double>($"""SELECT avg((status = 'PAID')::int) FROM "CapitalCall" WHERE "dueDate" <= '{AsOf}'""");
        Assert.InRange(pastDue, 0.7, 0.95);
        Assert.True(await Db.ScalarAsync<long>($"""SELECT count(*) FROM "CapitalCall" WHERE "dueDate" <= '{AsOf}' AND status = 'APPROVED'""") > 0, "no overdue unpaid calls");
        Assert.True(await Db.ScalarAsync<long>($"""SELECT count(*) FROM "CapitalCall" WHERE "dueDate" > '{AsOf}'""") > 50, "too few future calls");
        var usd = await Db.ScalarAsync<double>("""SELECT avg((currency = 'USD')::int) FROM "CapitalCall" """);
        Assert.InRange(usd, 0.7, 0.97);
        // Heavy tail: the mean well above the median, calls both near $10k and in the millions.
        Assert.True(await Db.ScalarAsync<double>("""SELECT avg("amountDue") / percentile_cont(0.5) WITHIN GROUP (ORDER BY "amountDue") FROM "CapitalCall" """) > 1.3);
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "CapitalCall" WHERE "amountDue" < 50000""") > 0);
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "CapitalCall" WHERE "amountDue" > 2000000""") > 0);
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "CapitalCall" WHERE source <> 'DOCUMENT_UPLOAD'""") > 100, "too few synced calls");
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "LegalHold" WHERE "releasedAt" IS NULL""") > 0);
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "LegalHold" WHERE "releasedAt" IS NOT NULL""") > 0);
        Assert.True(await Db.ScalarAsync<long>($"""SELECT count(*) FROM "DataProcessingAgreement" WHERE "expiresAt" < '{AsOf}'""") > 0, "no expired DPA");
        Assert.True(await Db.ScalarAsync<long>($"""SELECT count(*) FROM "DataProcessingAgreement" WHERE "expiresAt" IS NULL OR "expiresAt" > '{AsOf}'""") > 0, "no active DPA");
        Assert.True(await Db.ScalarAsync<long>($"""SELECT count(*) FROM "OrganizationInvite" WHERE "acceptedAt" IS NULL AND "expiresAt" > '{AsOf}'""") > 0, "no pending invite");
        Assert.True(await Db.ScalarAsync<long>($"""SELECT count(*) FROM "OrganizationInvite" WHERE "acceptedAt" IS NULL AND "expiresAt" <= '{AsOf}'""") > 0, "no expired invite");
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "OrganizationInvite" WHERE "acceptedAt" IS NOT NULL""") > 0, "no accepted invite");
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "UnmappedInvestor" WHERE "needsMapping" """) > 0);
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "UnmappedInvestor" WHERE NOT "needsMapping" """) > 0);
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "Organization" WHERE settings->>'kind' = 'FAMILY_OFFICE'""") > 0);
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "WebhookDelivery" WHERE "statusCode" BETWEEN 400 AND 499""") > 0);
        Assert.True(await Db.ScalarAsync<long>("""SELECT count(*) FROM "WebhookDelivery" WHERE "statusCode" BETWEEN 500 AND 599""") > 0);
    }

    [Fact]
    public async Task No_event_happens_after_as_of()
    {
        // Every timestamp except the ones that lie ahead by nature (due dates, expiries).
        var columns = await Db.ColumnAsync("""
            SELECT format('SELECT %L || ''.'' || %L, max(%I) FROM %I', table_name, column_name, column_name, table_name) FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type LIKE 'timestamp%' AND table_name NOT LIKE '\_\_%' AND column_name NOT IN ('dueDate', 'expiresAt')
            """);
        Assert.True(columns.Count > 50);
        var sql = string.Join(" UNION ALL ", columns);
        await using var connection = new NpgsqlConnection(Db.ConnectionString);
        var ct = TestContext.Current.CancellationToken;
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT * FROM ({sql}) x", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var asOf = SeedDatabase.AsOf.ToDateTime(TimeOnly.MinValue);
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(1)) continue;
            var max = reader.GetDateTime(1);
            Assert.True(max <= asOf, $"{reader.GetString(0)} reaches {max:O}, after as-of {asOf:O}");
            Assert.Equal(0, max.Ticks % TimeSpan.TicksPerMillisecond);
        }
    }

    /// <summary>SCHEMA.md section 2: every documented status value occurs (D4), and nothing outside the closed sets.</summary>
    public static TheoryData<string, string, string[]> StatusSets => new()
    {
        { "Document", "status", ["PENDING", "PROCESSING", "REVIEW", "APPROVED", "REJECTED", "FAILED"] },
        { "CapitalCall", "status", ["PENDING_REVIEW", "APPROVED", "REJECTED", "PAID"] },
        { "Organization", "plan", ["STARTER", "PROFESSIONAL", "ENTERPRISE"] },
        { "CapitalCall", "source", ["SSC_GENEVA", "CARTA", "DOCUMENT_UPLOAD", "JUNIPER_SQUARE", "ALTVIA", "ALLVUE"] },
        { "AccountingConnection", "provider", ["QUICKBOOKS", "XERO", "NETSUITE"] },
        { "AccountingTransaction", "type", ["JOURNAL_ENTRY", "DEPOSIT"] },
        { "AccountingTransaction", "status", ["SYNCED", "PENDING", "FAILED"] },
        { "SignatureRequest", "provider", ["DOCUSIGN", "HELLOSIGN", "ADOBE_SIGN"] },
        { "SignatureRequest", "status", ["SENT", "DELIVERED", "COMPLETED", "DECLINED", "VOIDED"] },
        { "WebhookDelivery", "status", ["SUCCESS", "FAILED", "PENDING"] },
        { "Payment", "paymentMethod", ["WIRE", "ACH", "CHECK"] },
        { "Payment", "status", ["PENDING", "COMPLETED", "PARTIAL", "OVERPAID", "FAILED", "RECONCILED"] },
        { "BankAccount", "accountType", ["CHECKING", "SAVINGS"] },
        { "BankAccount", "status", ["ACTIVE"] },
        { "FundAdminConnection", "administrator", ["SSC_GENEVA", "CARTA", "JUNIPER_SQUARE", "ALTVIA", "ALLVUE"] },
        { "FundAdminConnection", "status", ["ACTIVE", "DISABLED", "ERROR"] },
        { "FundAdminConnection", "lastSyncStatus", ["SUCCESS", "PARTIAL_FAILURE", "FAILURE"] },
        { "FundAdminSync", "syncType", ["CAPITAL_CALLS", "INVESTORS"] },
        { "WebhookLog", "source", ["SSC_GENEVA", "CARTA", "JUNIPER_SQUARE", "ALTVIA", "ALLVUE"] },
        { "AuditLog", "securityLevel", ["LOW", "MEDIUM", "HIGH", "CRITICAL"] },
        { "LegalHold", "status", ["ACTIVE"] },
        { "DataProcessingAgreement", "status", ["ACTIVE"] },
        { "SSOConnection", "provider", ["SAML", "OIDC"] },
        { "ScheduledReport", "schedule", ["DAILY", "WEEKLY", "MONTHLY"] },
        { "ReportExecution", "status", ["SUCCESS", "FAILED"] },
    };

    [Theory]
    [MemberData(nameof(StatusSets))]
    public async Task Every_status_value_occurs_in_dev_and_no_other(string table, string column, string[] values)
    {
        var present = await Db.ColumnAsync($"SELECT DISTINCT \"{column}\"::text FROM \"{table}\" WHERE \"{column}\" IS NOT NULL ORDER BY 1");
        Assert.Equal(values.Order(StringComparer.Ordinal), present.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Materialized_views_are_populated()
    {
        Assert.True(await Db.ScalarAsync<long>("SELECT count(*) FROM monthly_call_summary") > 100);
        Assert.True(await Db.ScalarAsync<long>("SELECT count(*) FROM fund_performance_summary") > 100);
        Assert.Equal(await Db.ScalarAsync<long>("SELECT count(*) FROM \"CapitalCall\""), await Db.ScalarAsync<long>("SELECT sum(call_count) FROM monthly_call_summary"));
        Assert.True(await Db.ScalarAsync<long>("SELECT sum(paid_count) FROM fund_performance_summary") > 0);
    }

    [Fact]
    public async Task Schema_still_verifies_after_seeding_with_deferred_indexes()
    {
        await using var connection = new NpgsqlConnection(Db.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var report = await Clearway.Data.Schema.SchemaVerifier.VerifyAsync(connection, TestContext.Current.CancellationToken);
        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings));
    }

    [Fact]
    public void Dev_has_thousands_of_calls_and_matches_its_plan()
    {
        var result = fixture.Result;
        Assert.Equal(4_000, result.Rows["CapitalCall"]);
        foreach (var planned in result.Plan.Tables)
        {
            if (planned.IsEstimate)
                Assert.InRange(result.Rows[planned.Name], planned.Rows * 0.8, planned.Rows * 1.2);
            else
                Assert.Equal(planned.Rows, result.Rows[planned.Name]);
        }
    }

    // ---- D5 ---------------------------------------------------------------------------------------------------

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+[A-Za-z0-9])")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b[a-z][a-z0-9+.-]*://([^/\s""'|,)\\]+)")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"(?<![\d./])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])")]
    private static partial Regex Ipv4Pattern();

    private static bool ReservedHost(string host)
    {
        host = host.ToLowerInvariant();
        return host is "example.com" or "example" || host.EndsWith(".example.com", StringComparison.Ordinal)
            || host.EndsWith(".example", StringComparison.Ordinal) || host.EndsWith(".test", StringComparison.Ordinal);
    }

    private static bool DocumentationIp(string ip) =>
        ip.StartsWith("192.0.2.", StringComparison.Ordinal) || ip.StartsWith("198.51.100.", StringComparison.Ordinal) || ip.StartsWith("203.0.113.", StringComparison.Ordinal);

    [Fact]
    public async Task D5_emails_urls_and_ips_are_reserved_only()
    {
        var emails = 0;
        var urls = 0;
        var ips = 0;
        foreach (var table in SeedPlan.TableOrder)
        {
            foreach (var row in await Db.ColumnAsync($"SELECT t::text FROM \"{table}\" t"))
            {
                foreach (Match m in EmailPattern().Matches(row))
                {
                    emails++;
                    Assert.True(ReservedHost(m.Groups[1].Value), $"{table}: e-mail {m.Value} outside the reserved domains");
                }
                foreach (Match m in UrlPattern().Matches(row))
                {
                    urls++;
                    var host = m.Groups[1].Value.Split(':')[0];
                    Assert.True(ReservedHost(host) || m.Value.StartsWith("urn:", StringComparison.Ordinal), $"{table}: URL {m.Value} outside the reserved domains");
                }
            }
        }
        // IP addresses live in AuditLog.ipAddress and webhook payloads; user agents carry dotted versions, so look where IPs are.
        foreach (var value in await Db.ColumnAsync("""SELECT "ipAddress" FROM "AuditLog" UNION ALL SELECT payload->>'sourceIp' FROM "WebhookLog" """))
        {
            Assert.Matches(Ipv4Pattern(), value);
            ips++;
            Assert.True(DocumentationIp(value), $"IP {value} outside the documentation ranges");
        }
        Assert.True(emails > 1000 && urls > 1000 && ips > 1000, $"scanned {emails} e-mails, {urls} URLs, {ips} IPs");
    }

    /// <summary>Columns holding secrets, tokens or keys: every value carries a test_ or seed_ marker.</summary>
    public static TheoryData<string, string> SecretColumns => new()
    {
        { "User", "\"clerkId\"" },
        { "FundAdministrator", "\"apiKey\"" },
        { "FundAdminConnection", "credentials->>'apiKey'" },
        { "FundAdminConnection", "credentials->>'apiSecret'" },
        { "AccountingConnection", "\"accessToken\"" },
        { "AccountingConnection", "\"refreshToken\"" },
        { "BankAccount", "\"plaidAccessToken\"" },
        { "BankAccount", "\"plaidAccountId\"" },
        { "WebhookEndpoint", "secret" },
        { "OrganizationInvite", "token" },
        { "Payment", "\"stripePaymentIntentId\"" },
        { "SSOConnection", "coalesce(config->>'clientSecret', config->>'idpCertificateFingerprint')" },
        { "AuditLog", "\"sessionId\"" },
        { "AuditLog", "\"deviceFingerprint\"" },
    };

    [Theory]
    [MemberData(nameof(SecretColumns))]
    public async Task D5_secrets_carry_a_test_or_seed_marker(string table, string expression)
    {
        Assert.True(await Db.ScalarAsync<long>($"SELECT count({expression}) FROM \"{table}\"") > 0, $"{table}.{expression} is never set");
        var unmarked = await Db.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\" WHERE {expression} IS NOT NULL AND {expression} !~ '(test_|seed_)'");
        Assert.True(unmarked == 0, $"{table}.{expression}: {unmarked} values without test_/seed_");
    }
}
