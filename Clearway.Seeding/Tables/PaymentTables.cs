using System.Globalization;
using Clearway.Data.Entities;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;

namespace Clearway.Seeding.Tables;

/// <summary>Bank accounts, monthly statement reconciliations, and the payments of every call.</summary>
internal static class PaymentTables
{
    public static readonly TableSpec<BankAccount> BankAccounts = new("BankAccount",
        ["id", "userId", "plaidAccessToken", "plaidAccountId", "accountName", "accountMask", "accountType", "status", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.UserId); w.Text(e.PlaidAccessToken); w.Text(e.PlaidAccountId); w.Text(e.AccountName); w.Text(e.AccountMask);
            w.Text(e.AccountType); w.Text(e.Status); w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateBankAccounts,
        p => p.BankAccounts);

    private static IEnumerable<BankAccount> GenerateBankAccounts(SeedWorld world)
    {
        for (var u = 0; u < world.UserCount; u++)
        {
            var user = world.User(u);
            for (var k = 0; k < Structure.BankAccounts(u); k++)
            {
                var key = SeedWorld.BankAccountKey(u, k);
                var rng = world.RngFor("BankAccount", key);
                var created = Time.Ms(Time.Min(user.CreatedAt + Time.Days(ref rng, 0, 30), world.Now.AddDays(-400)));
                yield return new BankAccount
                {
                    Id = world.Id("BankAccount", key),
                    UserId = user.Id,
                    PlaidAccessToken = "access-sandbox-seed_" + rng.Hex(32),
                    PlaidAccountId = "seed_acct_" + rng.Base36(24),
                    AccountName = k == 0 ? rng.Pick(["Operating Account", "Business Checking", "Capital Calls Account"]) : rng.Pick(["Reserve Savings", "Money Market Savings"]),
                    AccountMask = rng.Digits(4),
                    AccountType = k == 0 ? "CHECKING" : "SAVINGS",
                    Status = "ACTIVE",
                    CreatedAt = created,
                    UpdatedAt = Time.Ms(created + Time.Days(ref rng, 0, 100)),
                };
            }
        }
    }

    public static readonly TableSpec<StatementReconciliation> Statements = new("StatementReconciliation",
        ["id", "bankAccountId", "statementUrl", "startDate", "endDate", "totalTransactions", "matchedCount", "unmatchedCount", "discrepancies", "reconciledAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.BankAccountId); w.Text(e.StatementUrl); w.Timestamp(e.StartDate); w.Timestamp(e.EndDate); w.Int(e.TotalTransactions);
            w.Int(e.MatchedCount); w.Int(e.UnmatchedCount); w.Json(e.Discrepancies); w.Timestamp(e.ReconciledAt);
        },
        GenerateStatements,
        p => p.BankAccounts * Structure.StatementsPerAccount);

    private static IEnumerable<StatementReconciliation> GenerateStatements(SeedWorld world)
    {
        for (var u = 0; u < world.UserCount; u++)
        {
            for (var k = 0; k < Structure.BankAccounts(u); k++)
            {
                var account = SeedWorld.BankAccountKey(u, k);
                var accountId = world.Id("BankAccount", account);
                for (var month = 0; month < Structure.StatementsPerAccount; month++)
                {
                    var key = SeedWorld.StatementKey(account, month);
                    var rng = world.RngFor("StatementReconciliation", key);
                    var start = world.StatementMonthStart(month);
                    var total = rng.Next(4, 80);
                    var unmatched = rng.Chance(0.7) ? 0 : rng.Next(1, Math.Max(2, total / 6));
                    var id = world.Id("StatementReconciliation", key);
                    yield return new StatementReconciliation
                    {
                        Id = id,
                        BankAccountId = accountId,
                        StatementUrl = $"https://files.clearway.example/statements/{accountId}/{start:yyyy-MM}.pdf",
                        StartDate = start,
                        EndDate = start.AddMonths(1).AddMilliseconds(-1),
                        TotalTransactions = total,
                        MatchedCount = total - unmatched,
                        UnmatchedCount = unmatched,
                        Discrepancies = unmatched == 0 ? null
                            : Discrepancies(rng.Next(100, 500_000) / 100m * 100),
                        ReconciledAt = world.StatementReconciledAt(month),
                    };
                }
            }
        }
    }

    private static readonly string[] FailureReasons =
    [
        "Insufficient funds", "Beneficiary account closed", "ACH return R01: insufficient funds", "ACH return R03: no account / unable to locate",
        "Wire rejected by intermediary bank", "Compliance hold: beneficiary name mismatch", "Invalid routing number",
    ];

    public static readonly TableSpec<Payment> Payments = new("Payment",
        ["id", "capitalCallId", "userId", "amount", "currency", "paidAt", "paymentMethod", "status", "reference", "swiftMessage",
         "stripePaymentIntentId", "bankStatementId", "reconciledAt", "reconciledBy", "reconciliationNotes", "failureReason", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.CapitalCallId); w.Text(e.UserId); w.Money(e.Amount); w.Text(e.Currency); w.Timestamp(e.PaidAt);
            w.Text(e.PaymentMethod); w.Text(e.Status); w.Text(e.Reference); w.Json(e.SwiftMessage); w.Text(e.StripePaymentIntentId);
            w.Text(e.BankStatementId); w.Timestamp(e.ReconciledAt); w.Text(e.ReconciledBy); w.Text(e.ReconciliationNotes); w.Text(e.FailureReason);
            w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GeneratePayments,
        p => (long)Math.Round(p.CapitalCalls * 0.98), estimate: true);

    private static IEnumerable<Payment> GeneratePayments(SeedWorld world)
    {
        foreach (var (m, call) in CallTables.AllCalls(world))
        {
            if (call.Scenario == PaymentScenario.None) continue;
            var rng = new Rng(call.Salt ^ 0x9A7);
            var fund = world.Fund(m.Fund);
            var ctx = new PaymentContext(world, m, call, fund);
            var due = call.AmountCents;
            switch (call.Scenario)
            {
                case PaymentScenario.Completed:
                    yield return ctx.Make(ref rng, 0, due, call.Paid!.Value, "COMPLETED");
                    break;
                case PaymentScenario.Reconciled:
                    yield return ctx.Make(ref rng, 0, due, call.Paid!.Value, "RECONCILED");
                    break;
                case PaymentScenario.Overpaid:
                    var extra = Math.Max(100, due * rng.Next(1, 20) / 1000 / 100 * 100);
                    yield return ctx.Make(ref rng, 0, due + extra, call.Paid!.Value, "OVERPAID");
                    break;
                case PaymentScenario.FailedThenRetry:
                    var failedAt = Time.Ms(Time.Max(call.Paid!.Value - Time.Days(ref rng, 1, 3), call.Approved!.Value + Time.Minutes(ref rng, 1, 30)));
                    yield return ctx.Make(ref rng, 0, due, failedAt, "FAILED", rng.Pick(FailureReasons));
                    yield return ctx.Make(ref rng, 1, due, call.Paid.Value, "COMPLETED");
                    break;
                case PaymentScenario.Installments:
                    var first = due * rng.Next(30, 71) / 100 / 100 * 100;
                    var firstAt = Time.Ms(Time.Max(call.Paid!.Value - Time.Days(ref rng, 2, 10), call.Approved!.Value + Time.Minutes(ref rng, 1, 30)));
                    yield return ctx.Make(ref rng, 0, first, firstAt, "PARTIAL");
                    yield return ctx.Make(ref rng, 1, due - first, call.Paid.Value, "COMPLETED");
                    break;
                case PaymentScenario.PartialOnly:
                    var part = due * rng.Next(20, 81) / 100 / 100 * 100;
                    var partAt = Time.Ms(Time.Min(call.Approved!.Value + Time.Days(ref rng, 0.1, 20), world.Now.AddHours(-1)));
                    yield return ctx.Make(ref rng, 0, part, partAt, "PARTIAL");
                    break;
                case PaymentScenario.FailedOnly:
                    var attempt = Time.Ms(Time.Min(call.Approved!.Value + Time.Days(ref rng, 0.1, 20), world.Now.AddHours(-1)));
                    yield return ctx.Make(ref rng, 0, due, attempt, "FAILED", rng.Pick(FailureReasons));
                    break;
                case PaymentScenario.Pending:
                    var initiated = Time.Ms(Time.Min(call.Approved!.Value + Time.Minutes(ref rng, 30, 2 * 24 * 60), world.Now.AddMinutes(-5)));
                    yield return ctx.Make(ref rng, 0, due, initiated, "PENDING");
                    break;
            }
        }
    }

    private static string Discrepancies(decimal amount)
    {
        var json = Json.Start();
        json.WriteStartArray();
        json.WriteStartObject();
        json.WriteString("type", "UNMATCHED_CREDIT");
        json.WriteDecimal("amount", amount);
        json.WriteString("description", "Incoming wire without reference");
        json.WriteEndObject();
        json.WriteEndArray();
        return Json.Finish(json);
    }

    private static string SwiftMessage(string reference, DateTime valueDate, in FundInfo fund, decimal amount, string orderingCustomer)
    {
        var json = Json.Start();
        json.WriteStartObject();
        json.WriteString("messageType", "MT103");
        json.WriteString("senderReference", reference);
        json.WriteDay("valueDate", valueDate);
        json.WriteString("currency", fund.Currency);
        json.WriteString("amount", amount.ToString(CultureInfo.InvariantCulture));
        json.WriteString("orderingCustomer", orderingCustomer);
        json.WriteString("beneficiary", fund.Name);
        json.WriteString("beneficiaryBank", fund.BankName);
        json.WriteEndObject();
        return Json.Finish(json);
    }

    private readonly struct PaymentContext(SeedWorld world, CommitmentInfo m, CallSkeleton call, FundInfo fund)
    {
        public Payment Make(ref Rng rng, int n, long cents, DateTime at, string status, string? failureReason = null)
        {
            var key = call.Key * 4 + (ulong)n;
            var id = world.Id("Payment", key);
            var r = rng.NextDouble();
            var method = r < 0.7 ? "WIRE" : r < 0.95 ? "ACH" : "CHECK";
            var amount = cents / 100m;
            var reference = method switch
            {
                "WIRE" => CallTables.WireReference(fund, m, call.Seq),
                "ACH" => "ACH-" + rng.Base36(10).ToUpperInvariant(),
                _ => "CHK-" + rng.Digits(6),
            };
            string? swift = method == "WIRE" ? SwiftMessage(reference, at, fund, amount, m.InvestorName) : null;
            var user = world.UserId(m.Owner);
            string? statementId = null, reconciledBy = null, notes = null;
            DateTime? reconciledAt = null;
            if (status == "RECONCILED")
            {
                var month = world.ReconcilableMonth(at);
                statementId = world.Id("StatementReconciliation", SeedWorld.StatementKey(SeedWorld.BankAccountKey(m.Owner, 0), month));
                reconciledAt = world.StatementReconciledAt(month);
                reconciledBy = user;
                notes = rng.Chance(0.5) ? "Matched to bank statement by amount and wire reference" : null;
            }
            var updated = reconciledAt ?? at;
            return new Payment
            {
                Id = id,
                CapitalCallId = world.CallId(call.Key),
                UserId = user,
                Amount = amount,
                Currency = fund.Currency,
                PaidAt = at,
                PaymentMethod = method,
                Status = status,
                Reference = reference,
                SwiftMessage = swift,
                StripePaymentIntentId = method == "ACH" ? "pi_test_" + Ids.Cuid(world.StreamSeed("Payment.stripe"), key)[1..] : null,
                BankStatementId = statementId,
                ReconciledAt = reconciledAt,
                ReconciledBy = reconciledBy,
                ReconciliationNotes = notes,
                FailureReason = failureReason,
                CreatedAt = at,
                UpdatedAt = updated,
            };
        }
    }
}
