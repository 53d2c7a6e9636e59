using System.Collections.Concurrent;
using Bogus;
using Clearway.Data.Entities;

namespace Clearway.Seeding.Generation;

internal sealed record OrgInfo(int Index, string Id, string Name, string Slug, string Plan, bool IsFamilyOffice, string Domain, DateTime CreatedAt);

internal readonly record struct UserInfo(int Index, string Id, string ClerkId, string Email, string Name, int OrgIndex, DateTime CreatedAt);

internal readonly record struct CommitmentInfo(
    int Index, int Owner, int OwnerOrg, int Fund, bool Synced, string ExternalInvestorId, string InvestorName,
    string InvestorEmail, long CommitmentCents, int Calls, ulong Salt);

/// <summary>How a call's payments go (drawn with the call, so every table that needs it agrees).</summary>
internal enum PaymentScenario : byte
{
    None,
    Completed,
    Reconciled,
    FailedThenRetry,
    Installments,
    Overpaid,
    Pending,
    PartialOnly,
    FailedOnly,
}

/// <summary>The skeleton of one capital call: everything other tables need, recomputed on demand (never stored).</summary>
internal struct CallSkeleton
{
    public int Commitment;
    public int Seq;
    public ulong Key;
    public DateTime Uploaded;
    public DateTime Extracted;
    public DateTime? Reviewed;
    public DateTime? Approved;
    public DateTime? Paid;
    public DateTime Due;
    public long AmountCents;
    public CapitalCallStatus Status;
    public PaymentScenario Scenario;
    public ulong Salt;

    public readonly decimal Amount => AmountCents / 100m;
}

/// <summary>
/// The seeded world as pure functions of (run seed, as-of date, plan, index): any table can recompute the
/// organisation, user, fund, commitment or call it refers to, so nothing proportional to the profile is kept
/// in memory. Only organisations and funds (a few thousand at most) are cached.
/// </summary>
internal sealed class SeedWorld
{
    private readonly ConcurrentDictionary<string, ulong> _streams = new(StringComparer.Ordinal);
    private readonly OrgInfo[] _orgs;
    private readonly FundInfo[] _funds;
    private readonly ulong _userIdSeed, _docIdSeed, _callIdSeed;
    private readonly (int A, int B) _userNamePerm;

    public SeedWorld(SeedOptions options, SeedPlan plan)
    {
        Options = options;
        Plan = plan;
        RunSeed = options.Seed;
        AsOf = options.AsOf;
        Now = Time.Date(options.AsOf);
        _userIdSeed = StreamSeed("id:User");
        _docIdSeed = StreamSeed("id:Document");
        _callIdSeed = StreamSeed("id:CapitalCall");
        _userNamePerm = PermutationFor("user-name", NamePools.FirstNames.Length * NamePools.LastNames.Length);
        _orgs = BuildOrganizations();
        _funds = Enumerable.Range(0, plan.Funds).Select(f => FundCatalog.Fund(this, f)).ToArray();
    }

    public SeedOptions Options { get; }
    public SeedPlan Plan { get; }
    public int RunSeed { get; }
    public DateOnly AsOf { get; }

    /// <summary>The as-of instant (00:00 of the as-of date). Every generated event happens before it; only due dates may follow it.</summary>
    public DateTime Now { get; }

    public ulong StreamSeed(string stream) => _streams.GetOrAdd(stream, s => Hashing.StreamSeed(RunSeed, s));

    public Rng RngFor(string stream, ulong key) => new(Hashing.Combine(StreamSeed(stream), key));

    public string Id(string table, ulong key) => Ids.Cuid(StreamSeed("id:" + table), key);

    /// <summary>The Bogus faker of one table, seeded from the run seed and the table name.</summary>
    public Faker FakerFor(string table) =>
        new("en") { Random = new Randomizer((int)(StreamSeed("faker:" + table) & 0x7FFFFFFF)) };

    /// <summary>A seed-dependent bijection of [0, n): (a * index + b) mod n with gcd(a, n) = 1.</summary>
    public int Permute(string stream, int index, int n)
    {
        var (a, b) = PermutationFor(stream, n);
        return (int)(((long)a * index + b) % n);
    }

    private (int A, int B) PermutationFor(string stream, int n)
    {
        var rng = new Rng(StreamSeed("perm:" + stream));
        var a = 1 + (int)(rng.NextULong() % (ulong)Math.Max(1, n - 1));
        while (Gcd(a, n) != 1) a++;
        return (a % n == 0 ? 1 : a, (int)(rng.NextULong() % (ulong)n));
    }

    private static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }

    // ---- Organisations ------------------------------------------------------------------------------------

    public OrgInfo Org(int index) => _orgs[index];

    public int OrgCount => _orgs.Length;

    private static readonly string[] RiaSuffixes =
        ["Wealth Partners", "Capital Advisors", "Private Wealth", "Wealth Management", "Asset Management", "Investment Counsel", "Advisory Group", "Financial Partners"];

    private OrgInfo[] BuildOrganizations()
    {
        var orgs = new OrgInfo[Plan.Organizations];
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < orgs.Length; i++)
        {
            var rng = RngFor("org", (ulong)i);
            var created = Time.Ms(Now - Time.Days(ref rng, 400, 2500));
            if (i < Structure.PersonaOrgs)
            {
                var p = Personas.Organizations[i];
                slugs.Add(p.Slug);
                orgs[i] = new OrgInfo(i, p.Id, p.Name, p.Slug, p.Plan, p.Kind == "FAMILY_OFFICE", p.Slug + ".example", created);
                continue;
            }

            var last = rng.Pick(NamePools.LastNames);
            var family = Structure.IsFamilyOffice(i);
            var name = family
                ? (rng.Chance(0.5) ? $"The {last} Family Office" : $"{last} Family Partners")
                : rng.Chance(0.3) ? $"{last} & {rng.Pick(NamePools.LastNames)} {rng.Pick(RiaSuffixes)}" : $"{last} {rng.Pick(RiaSuffixes)}";
            var slug = Slugify(name);
            for (var n = 2; !slugs.Add(slug); n++) slug = $"{Slugify(name)}-{n}";
            orgs[i] = new OrgInfo(i, Id("Organization", (ulong)i), name, slug, Structure.OrgPlan(i), family, slug + ".example", created);
        }
        return orgs;
    }

    public static string Slugify(string name)
    {
        var chars = name.ToLowerInvariant().Replace("&", "and", StringComparison.Ordinal)
            .Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = new string(chars);
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        return slug.Trim('-');
    }

    // ---- Users --------------------------------------------------------------------------------------------

    public int UserCount => Plan.Users;

    public string UserId(int user) => user < Structure.PersonaUsers ? Personas.Users[user].Id : Ids.Cuid(_userIdSeed, (ulong)user);

    public int UserOrg(int user) => Structure.UserOrg(user, OrgCount);

    public UserInfo User(int user)
    {
        var org = UserOrg(user);
        var rng = RngFor("user", (ulong)user);
        var orgCreated = org >= 0 ? _orgs[org].CreatedAt : Now.AddDays(-1500);
        var created = Time.Ms(Time.Min(orgCreated + Time.Days(ref rng, 0, 300), Now - Time.Days(ref rng, 1, 30)));
        if (user < Structure.PersonaUsers)
        {
            var p = Personas.Users[user];
            return new UserInfo(user, p.Id, p.ClerkId, p.Email, p.Name, org, created);
        }

        var (first, last) = UniqueName(user - Structure.PersonaUsers);
        var domain = org >= 0 ? _orgs[org].Domain : "example.com";
        var email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{domain}";
        var clerk = "user_seed_" + rng.Base36(20);
        return new UserInfo(user, UserId(user), clerk, email, $"{first} {last}", org, created);
    }

    /// <summary>A (first, last) pair unique to this user in the run.</summary>
    private (string First, string Last) UniqueName(int ordinal)
    {
        var firsts = NamePools.FirstNames;
        var lasts = NamePools.LastNames;
        var n = firsts.Length * lasts.Length;
        var v = (int)(((long)_userNamePerm.A * ordinal + _userNamePerm.B) % n);
        return (firsts[v % firsts.Length], lasts[v / firsts.Length]);
    }

    /// <summary>The first user of an organisation (its de-facto admin), or the Demo RIA admin persona.</summary>
    public int FirstUserOf(int org)
    {
        if (org is >= 0 and < Structure.PersonaOrgs) return org switch { 0 => 0, 1 => 3, _ => 4 };
        for (var u = org; u >= 0 && u < UserCount; u += OrgCount)
            if (u >= Structure.PersonaUsers && UserOrg(u) == org) return u;
        return 0;
    }

    // ---- Funds and commitments ----------------------------------------------------------------------------

    public FundInfo Fund(int index) => _funds[index];

    public int FundCount => _funds.Length;

    public int CallsOf(int commitment) =>
        commitment == Plan.Commitments - 1 ? Plan.LastCommitmentCalls : Structure.CallsOf(commitment);

    public static string AdminPrefix(string code) => code switch
    {
        "SSC_GENEVA" => "SSC",
        "CARTA" => "CRT",
        "JUNIPER_SQUARE" => "JSQ",
        "ALTVIA" => "ALV",
        "ALLVUE" => "ALU",
        _ => "ADM",
    };

    private static readonly string[] EntityForms = ["{0} {1}", "{0} {1}", "{0} {1}", "{1} Family Trust", "{1} Holdings LLC", "{0} {1} IRA", "{1} Family Foundation"];

    public CommitmentInfo Commitment(int c)
    {
        var rng = RngFor("commitment", (ulong)c);
        var owner = c < Structure.PersonaUsers ? c : rng.Next(UserCount);
        var ownerOrg = UserOrg(owner);
        var connected = ownerOrg >= 0 ? Structure.ConnectedAdmins(ownerOrg) : [];

        int fund;
        if (connected.Count > 0 && rng.Chance(0.6))
        {
            var admin = Array.IndexOf(Structure.AdminCodes, rng.Pick(connected));
            var slots = (FundCount - admin + Structure.AdminCodes.Length - 1) / Structure.AdminCodes.Length;
            fund = slots > 0 ? admin + Structure.AdminCodes.Length * rng.Next(slots) : rng.Next(FundCount);
        }
        else
        {
            fund = rng.Next(FundCount);
        }

        var f = _funds[fund];
        var synced = connected.Contains(f.Administrator);
        var first = rng.Pick(NamePools.FirstNames);
        var last = rng.Pick(NamePools.LastNames);
        var investorName = string.Format(System.Globalization.CultureInfo.InvariantCulture, rng.Pick(EntityForms), first, last);
        var email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@investors.example";
        var calls = CallsOf(c);
        var minCommitment = Math.Max(250_000d, calls * 40_000d);
        var commitment = Math.Clamp(rng.LogNormal(3_000_000, 1.2), minCommitment, 150_000_000d);
        var commitmentCents = (long)(Math.Round(commitment / 50_000) * 50_000) * 100;
        if (commitmentCents < (long)minCommitment * 100) commitmentCents = (long)Math.Ceiling(minCommitment / 50_000) * 50_000 * 100;
        var externalId = $"{AdminPrefix(f.Administrator)}-INV-{c:D7}";
        return new CommitmentInfo(c, owner, ownerOrg, fund, synced, externalId, investorName, email, commitmentCents, calls, rng.NextULong());
    }

    public string CallId(ulong key) => Ids.Cuid(_callIdSeed, key);

    public string DocumentId(ulong key) => Ids.Cuid(_docIdSeed, key);

    public static ulong CallKey(int commitment, int seq) => (ulong)commitment * 16 + (ulong)seq;

    /// <summary>
    /// The calls of a commitment, numbered 1..n in time, summing to at most the commitment; statuses follow
    /// the as-of date. Writes <see cref="CommitmentInfo.Calls"/> skeletons into <paramref name="calls"/>.
    /// </summary>
    public void CallsFor(in CommitmentInfo commitment, Span<CallSkeleton> calls)
    {
        var rng = new Rng(commitment.Salt);
        var n = commitment.Calls;

        // Notice dates, latest first: the last one within the past four months, earlier ones 1.5-8 months apart.
        Span<DateTime> notices = stackalloc DateTime[n];
        var notice = Now.AddDays(-(rng.Chance(0.35) ? rng.Next(1, 15) : rng.Next(15, 120)));
        for (var j = n - 1; j >= 0; j--)
        {
            notices[j] = notice;
            notice = notice.AddDays(-rng.Next(45, 240));
        }

        // Amounts: weights over a called fraction of the commitment, each $10k-$25M, never above the commitment in total.
        Span<double> weights = stackalloc double[n];
        double total = 0;
        for (var j = 0; j < n; j++) total += weights[j] = rng.LogNormal(1, 0.6);
        var calledFraction = 0.45 + rng.NextDouble() * 0.5;
        long sum = 0;
        for (var j = 0; j < n; j++)
        {
            var cents = (long)(commitment.CommitmentCents * calledFraction * weights[j] / total);
            cents = rng.Chance(0.6) ? cents / 100 * 100 : cents;
            calls[j].AmountCents = Math.Clamp(cents, 1_000_000, 2_500_000_000);
            sum += calls[j].AmountCents;
        }
        while (sum > commitment.CommitmentCents)
        {
            var largest = 0;
            for (var j = 1; j < n; j++) if (calls[j].AmountCents > calls[largest].AmountCents) largest = j;
            var cut = Math.Min(sum - commitment.CommitmentCents, calls[largest].AmountCents - 1_000_000);
            calls[largest].AmountCents -= cut;
            sum -= cut;
        }

        for (var j = 0; j < n; j++)
        {
            ref var call = ref calls[j];
            call.Commitment = commitment.Index;
            call.Seq = j + 1;
            call.Key = CallKey(commitment.Index, j + 1);
            call.Salt = rng.NextULong();
            call.Extracted = Time.Ms(Time.BusinessHoursOn(notices[j], ref rng));
            call.Uploaded = commitment.Synced
                ? call.Extracted.AddMilliseconds(-rng.Next(5, 900))
                : call.Extracted - TimeSpan.FromMilliseconds(rng.Next(3_000, 90_000));
            call.Due = Time.AddBusinessDays(notices[j], rng.Next(7, 16));
            call.Reviewed = call.Approved = call.Paid = null;
            call.Scenario = PaymentScenario.None;

            var reviewed = call.Extracted + Time.Minutes(ref rng, 20, 3 * 24 * 60);
            var approved = reviewed + Time.Minutes(ref rng, 5, 24 * 60);
            var r = rng.NextDouble();
            if (call.Due > Now)
            {
                // Not yet due: awaiting review, or approved (some with a payment already initiated).
                if (approved >= Now || r < 0.4)
                {
                    call.Status = CapitalCallStatus.PendingReview;
                }
                else
                {
                    call.Status = CapitalCallStatus.Approved;
                    (call.Reviewed, call.Approved) = (reviewed, approved);
                    if (rng.Chance(0.35)) call.Scenario = PaymentScenario.Pending;
                }
                continue;
            }

            if (r < 0.84)
            {
                var paid = rng.Chance(0.9)
                    ? Time.BusinessHoursOn(call.Due.AddDays(-rng.Next(0, 5)), ref rng)
                    : Time.BusinessHoursOn(call.Due.AddDays(rng.Next(1, 21)), ref rng);
                paid = Time.Ms(Time.Max(paid, approved + Time.Minutes(ref rng, 60, 48 * 60)));
                (call.Reviewed, call.Approved) = (reviewed, approved);
                if (paid < Now)
                {
                    call.Status = CapitalCallStatus.Paid;
                    call.Paid = paid;
                    var s = rng.NextDouble();
                    call.Scenario = s < 0.50 ? PaymentScenario.Completed
                        : s < 0.72 ? (ReconcilableMonth(paid) >= 0 ? PaymentScenario.Reconciled : PaymentScenario.Completed)
                        : s < 0.82 ? PaymentScenario.FailedThenRetry
                        : s < 0.92 ? PaymentScenario.Installments
                        : PaymentScenario.Overpaid;
                }
                else
                {
                    call.Status = CapitalCallStatus.Approved;
                }
            }
            else if (r < 0.90)
            {
                // Overdue and unpaid: approved, sometimes part-paid or with a failed attempt.
                call.Status = CapitalCallStatus.Approved;
                (call.Reviewed, call.Approved) = (reviewed, approved);
                var s = rng.NextDouble();
                call.Scenario = s < 0.4 ? PaymentScenario.PartialOnly : s < 0.6 ? PaymentScenario.FailedOnly : PaymentScenario.None;
            }
            else if (r < 0.96)
            {
                call.Status = CapitalCallStatus.Rejected;
                call.Reviewed = reviewed;
            }
            else
            {
                call.Status = CapitalCallStatus.PendingReview;
            }
        }
    }

    /// <summary>
    /// Which monthly statement (0 = last full month ... 11) covers a payment date, or -1 when the payment falls
    /// outside the twelve reconciled months.
    /// </summary>
    public int ReconcilableMonth(DateTime paid)
    {
        var months = (Now.Year - paid.Year) * 12 + Now.Month - paid.Month;
        return months is >= 1 and <= Structure.StatementsPerAccount ? months - 1 : -1;
    }

    /// <summary>First day of the month covered by statement <paramref name="month"/> (0 = last full month).</summary>
    public DateTime StatementMonthStart(int month) => new DateTime(Now.Year, Now.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(-(month + 1));

    /// <summary>When the statement of a month was reconciled: three days after month end, and before as-of.</summary>
    public DateTime StatementReconciledAt(int month) =>
        Time.Min(StatementMonthStart(month).AddMonths(1).AddDays(3).AddHours(9), Now.AddHours(-1));

    public static ulong BankAccountKey(int user, int k) => (ulong)user * 2 + (ulong)k;

    public static ulong StatementKey(ulong bankAccountKey, int month) => bankAccountKey * (ulong)Structure.StatementsPerAccount + (ulong)month;
}
