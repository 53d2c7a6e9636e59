-- Calls per owner and free-text fund name (SCHEMA.md 4.2), exactly as the app reads it.
-- avg_days_to_payment and on_time_rate measure approval, not payment: the original's definitions
-- (SCHEMA.md 6.4 #30) are kept because the app's dashboards read these numbers.
CREATE MATERIALIZED VIEW fund_performance_summary AS
SELECT
    "fundName",
    "userId",
    COUNT(*)                                                    AS total_calls,
    SUM("amountDue")                                            AS total_amount,
    AVG("amountDue")                                            AS avg_amount,
    AVG(EXTRACT(EPOCH FROM ("approvedAt" - "createdAt")) / 86400)
        FILTER (WHERE status = 'PAID' AND "approvedAt" IS NOT NULL) AS avg_days_to_payment,
    CASE WHEN COUNT(*) FILTER (WHERE status = 'PAID') > 0
         THEN (COUNT(*) FILTER (WHERE status = 'PAID' AND "approvedAt" <= "dueDate"))::double precision
              / COUNT(*) FILTER (WHERE status = 'PAID')
    END                                                         AS on_time_rate,
    COUNT(*) FILTER (WHERE status = 'PAID')                     AS paid_count,
    COUNT(*) FILTER (WHERE status = 'APPROVED')                 AS approved_count,
    COUNT(*) FILTER (WHERE status = 'PENDING_REVIEW')           AS pending_count,
    COUNT(*) FILTER (WHERE status = 'REJECTED')                 AS rejected_count
FROM "CapitalCall"
GROUP BY "fundName", "userId";

CREATE INDEX idx_fund_summary_user ON fund_performance_summary ("userId");
CREATE INDEX idx_fund_summary_fund ON fund_performance_summary ("fundName");
-- UNIQUE (the original's was not), so REFRESH ... CONCURRENTLY works (6.5 #32).
CREATE UNIQUE INDEX idx_fund_summary_user_fund ON fund_performance_summary ("userId", "fundName");

COMMENT ON MATERIALIZED VIEW fund_performance_summary IS 'Per-fund capital call performance per user. Refreshed hourly.';
