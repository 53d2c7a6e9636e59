using NpgsqlTypes;

namespace Clearway.Data.Entities;

/// <summary>PostgreSQL enum <c>"DocumentStatus"</c>; labels and their order are the original's.</summary>
public enum DocumentStatus
{
    [PgName("PENDING")] Pending,
    [PgName("PROCESSING")] Processing,
    [PgName("REVIEW")] Review,
    [PgName("APPROVED")] Approved,
    [PgName("REJECTED")] Rejected,
    [PgName("FAILED")] Failed,
}

/// <summary>PostgreSQL enum <c>"CapitalCallStatus"</c>; labels and their order are the original's.</summary>
public enum CapitalCallStatus
{
    [PgName("PENDING_REVIEW")] PendingReview,
    [PgName("APPROVED")] Approved,
    [PgName("REJECTED")] Rejected,
    [PgName("PAID")] Paid,
}
