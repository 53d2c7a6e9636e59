-- Calls per owner and calendar month of the due date (SCHEMA.md 4.1), exactly as the app reads it.
-- Amounts of all currencies are summed together, as in the original (SCHEMA.md 6.4 #29).
CREATE MATERIALIZED VIEW monthly_call_summary AS
SELECT
    date_trunc('month', "dueDate")                              AS month,
    "userId",
    COUNT(*)                                                    AS call_count,
    SUM("amountDue")                                            AS total_amount,
    AVG("amountDue")                                            AS avg_amount,
    COUNT(*) FILTER (WHERE status = 'PAID')                     AS paid_count,
    COUNT(*) FILTER (WHERE status = 'APPROVED')                 AS approved_count,
    COUNT(*) FILTER (WHERE status = 'PENDING_REVIEW')           AS pending_count
FROM "CapitalCall"
GROUP BY date_trunc('month', "dueDate"), "userId";

-- The original's indexes, names kept (idx_monthly_summary_user_month really leads with month: 6.5 #33).
CREATE INDEX idx_monthly_summary_user_month ON monthly_call_summary (month DESC, "userId");
CREATE INDEX idx_monthly_summary_user ON monthly_call_summary ("userId");

-- Ours: REFRESH ... CONCURRENTLY needs a unique index without WHERE on the grouping key (6.5 #32).
CREATE UNIQUE INDEX idx_monthly_summary_month_user_key ON monthly_call_summary (month, "userId");

COMMENT ON MATERIALIZED VIEW monthly_call_summary IS 'Monthly capital call totals per user. Refreshed hourly.';
