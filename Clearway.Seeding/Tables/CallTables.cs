using System.Globalization;
using Clearway.Data.Entities;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;

namespace Clearway.Seeding.Tables;

/// <summary>Documents and capital calls: one document per call (1:1), plus documents still in the pipeline.</summary>
internal static class CallTables
{
    /// <summary>Every call of the world, commitment by commitment, recomputed from the seed (nothing is kept).</summary>
    internal static IEnumerable<(CommitmentInfo Commitment, CallSkeleton Call)> AllCalls(SeedWorld world)
    {
        var calls = new CallSkeleton[Structure.MaxCallsPerCommitment];
        for (var c = 0; c < world.Plan.Commitments; c++)
        {
            var m = world.Commitment(c);
            world.CallsFor(m, calls);
            for (var j = 0; j < m.Calls; j++)
                yield return (m, calls[j]);
        }
    }

    public static DocumentStatus DocumentStatusOf(CapitalCallStatus status) => status switch
    {
        CapitalCallStatus.PendingReview => DocumentStatus.Review,
        CapitalCallStatus.Rejected => DocumentStatus.Rejected,
        _ => DocumentStatus.Approved,
    };

    public static string SchemeOf(string administrator) => administrator.ToLowerInvariant().Replace('_', '-');

    public static string ExternalCallId(in CommitmentInfo m, string administrator, int seq) =>
        $"{SeedWorld.AdminPrefix(administrator)}-CC-{m.Index:D7}-{seq:D2}";

    private static DateTime LastEvent(in CallSkeleton call) =>
        call.Paid ?? call.Approved ?? call.Reviewed ?? call.Extracted;

    public static readonly TableSpec<Document> Documents = new("Document",
        ["id", "fileName", "fileUrl", "fileSize", "mimeType", "uploadedAt", "updatedAt", "userId", "organizationId", "status"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.FileName); w.Text(e.FileUrl); w.Int(e.FileSize); w.Text(e.MimeType); w.Timestamp(e.UploadedAt);
            w.Timestamp(e.UpdatedAt); w.Text(e.UserId); w.Text(e.OrganizationId); w.Write(e.Status);
        },
        GenerateDocuments,
        p => p.CapitalCalls + p.OrphanDocuments);

    private static IEnumerable<Document> GenerateDocuments(SeedWorld world)
    {
        foreach (var (m, call) in AllCalls(world))
        {
            var fund = world.Fund(m.Fund);
            var id = world.DocumentId(call.Key);
            var orgId = m.OwnerOrg >= 0 ? world.Org(m.OwnerOrg).Id : null;
            if (m.Synced)
            {
                // What the app stores for a call synced from an administrator: a placeholder with a pseudo-URL.
                var externalId = ExternalCallId(m, fund.Administrator, call.Seq);
                yield return new Document
                {
                    Id = id,
                    FileName = externalId + ".json",
                    FileUrl = $"{SchemeOf(fund.Administrator)}://fundadmin.test/capital-calls/{externalId}",
                    FileSize = 0,
                    MimeType = "application/json",
                    UploadedAt = call.Uploaded,
                    UpdatedAt = LastEvent(call),
                    UserId = world.UserId(m.Owner),
                    OrganizationId = orgId,
                    Status = DocumentStatusOf(call.Status),
                };
            }
            else
            {
                var rng = new Rng(call.Salt ^ 0xD0C);
                var fileName = $"{fund.Code}_Capital_Call_Notice_{call.Seq:D2}_{call.Extracted:yyyyMMdd}.pdf";
                yield return new Document
                {
                    Id = id,
                    FileName = fileName,
                    FileUrl = $"https://files.clearway.example/{(m.OwnerOrg >= 0 ? world.Org(m.OwnerOrg).Slug : "personal")}/documents/{id}/{fileName}",
                    FileSize = rng.Next(60_000, 4_000_000),
                    MimeType = "application/pdf",
                    UploadedAt = call.Uploaded,
                    UpdatedAt = LastEvent(call),
                    UserId = world.UserId(m.Owner),
                    OrganizationId = orgId,
                    Status = DocumentStatusOf(call.Status),
                };
            }
        }

        // Documents with no call yet: just uploaded, being processed, or failed extraction.
        for (var o = 0; o < world.Plan.OrphanDocuments; o++)
        {
            var key = (1UL << 40) + (ulong)o;
            var rng = world.RngFor("Document.orphan", (ulong)o);
            var user = o < Structure.PersonaUsers ? o : rng.Next(world.UserCount);
            var org = world.UserOrg(user);
            var r = o % 3;
            var status = r == 0 ? DocumentStatus.Pending : r == 1 ? DocumentStatus.Processing : DocumentStatus.Failed;
            var uploaded = Time.Ms(world.Now - (status == DocumentStatus.Failed ? Time.Days(ref rng, 1, 300) : Time.Minutes(ref rng, 1, 600)));
            var id = world.DocumentId(key);
            var fileName = rng.Pick(OrphanNames).Replace("{n}", rng.Digits(4), StringComparison.Ordinal);
            yield return new Document
            {
                Id = id,
                FileName = fileName,
                FileUrl = $"https://files.clearway.example/{(org >= 0 ? world.Org(org).Slug : "personal")}/documents/{id}/{fileName}",
                FileSize = rng.Next(40_000, 6_000_000),
                MimeType = "application/pdf",
                UploadedAt = uploaded,
                UpdatedAt = Time.Ms(Time.Min(uploaded + Time.Minutes(ref rng, 0, 5), world.Now.AddSeconds(-1))),
                UserId = world.UserId(user),
                OrganizationId = org >= 0 ? world.Org(org).Id : null,
                Status = status,
            };
        }
    }

    private static readonly string[] OrphanNames =
        ["scan_{n}.pdf", "Capital_Call_Notice_{n}.pdf", "notice-{n}.pdf", "CC_Notice_Q{n}.pdf", "Drawdown_Notice_{n}.pdf"];

    public static readonly TableSpec<CapitalCall> CapitalCalls = new("CapitalCall",
        ["id", "fundName", "investorEmail", "investorAccount", "amountDue", "currency", "dueDate", "bankName", "accountNumber",
         "routingNumber", "wireReference", "extractedAt", "reviewedAt", "approvedAt", "createdAt", "updatedAt", "confidenceScores",
         "rawExtraction", "documentId", "userId", "status", "paidAt", "source", "externalId", "organizationId"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.FundName); w.Text(e.InvestorEmail); w.Text(e.InvestorAccount); w.Money(e.AmountDue); w.Text(e.Currency);
            w.Timestamp(e.DueDate); w.Text(e.BankName); w.Text(e.AccountNumber); w.Text(e.RoutingNumber); w.Text(e.WireReference);
            w.Timestamp(e.ExtractedAt); w.Timestamp(e.ReviewedAt); w.Timestamp(e.ApprovedAt); w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
            w.Json(e.ConfidenceScores); w.Json(e.RawExtraction); w.Text(e.DocumentId); w.Text(e.UserId); w.Write(e.Status);
            w.Timestamp(e.PaidAt); w.Text(e.Source); w.Text(e.ExternalId); w.Text(e.OrganizationId);
        },
        GenerateCalls,
        p => p.CapitalCalls);

    public static string WireReference(in FundInfo fund, in CommitmentInfo m, int seq) =>
        string.Create(CultureInfo.InvariantCulture, $"{fund.Code}-{m.Index:D6}-CC-{seq:D3}");

    private static IEnumerable<CapitalCall> GenerateCalls(SeedWorld world)
    {
        foreach (var (m, call) in AllCalls(world))
        {
            var fund = world.Fund(m.Fund);
            var rng = new Rng(call.Salt ^ 0xCA11);
            string? scores = null, raw = null;
            if (!m.Synced)
            {
                double Score(ref Rng r, double lo) => Math.Round(lo + r.NextDouble() * (0.995 - lo), 3);
                var json = Json.Start();
                json.WriteStartObject();
                json.WriteScore("fundName", Score(ref rng, 0.8));
                json.WriteScore("amountDue", Score(ref rng, 0.85));
                json.WriteScore("dueDate", Score(ref rng, 0.75));
                json.WriteScore("bankName", Score(ref rng, 0.7));
                json.WriteScore("wireReference", Score(ref rng, 0.65));
                json.WriteEndObject();
                scores = Json.Finish(json);

                json = Json.Start();
                json.WriteStartObject();
                json.WriteString("model", "gpt-4o-mini");
                json.WriteNumber("processingTimeMs", rng.Next(1_200, 9_000));
                json.WriteNumber("pages", rng.Next(1, 6));
                json.WriteNumber("callNumber", call.Seq);
                json.WriteStartObject("fields");
                json.WriteString("fundName", fund.Name);
                json.WriteString("amountDue", call.Amount.ToString(CultureInfo.InvariantCulture));
                json.WriteString("currency", fund.Currency);
                json.WriteDay("dueDate", call.Due);
                json.WriteEndObject();
                json.WriteEndObject();
                raw = Json.Finish(json);
            }
            yield return new CapitalCall
            {
                Id = world.CallId(call.Key),
                FundName = fund.Name,
                InvestorEmail = m.InvestorEmail,
                InvestorAccount = m.ExternalInvestorId,
                AmountDue = call.Amount,
                Currency = fund.Currency,
                DueDate = call.Due,
                BankName = fund.BankName,
                AccountNumber = fund.AccountNumber,
                RoutingNumber = fund.RoutingNumber,
                WireReference = WireReference(fund, m, call.Seq),
                ExtractedAt = call.Extracted,
                ReviewedAt = call.Reviewed,
                ApprovedAt = call.Approved,
                CreatedAt = call.Extracted,
                UpdatedAt = LastEvent(call),
                ConfidenceScores = scores,
                RawExtraction = raw,
                DocumentId = world.DocumentId(call.Key),
                UserId = world.UserId(m.Owner),
                Status = call.Status,
                PaidAt = call.Paid,
                Source = m.Synced ? fund.Administrator : "DOCUMENT_UPLOAD",
                ExternalId = m.Synced ? ExternalCallId(m, fund.Administrator, call.Seq) : null,
                OrganizationId = m.OwnerOrg >= 0 ? world.Org(m.OwnerOrg).Id : null,
            };
        }
    }
}
