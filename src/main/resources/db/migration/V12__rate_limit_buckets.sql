-- Rate limits held across replicas: one Bucket4j token bucket per consumer and per OA, its state swapped
-- in place (compare-and-swap on the bytes) by whichever replica takes a token. A bucket idle for a second
-- is full again, so rows untouched for long are deleted by the retention job and start again full.
create table rate_limit_buckets (
    key         varchar(120)  primary key,      -- consumer:<id>:<per second>, oa:<oa id>:<per second>
    state       bytea         not null,
    updated_at  timestamptz   not null
);
create index rate_limit_buckets_updated_at_idx on rate_limit_buckets (updated_at);
