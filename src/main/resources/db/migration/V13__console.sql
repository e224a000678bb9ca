-- The operator console (vn.zalogateway.console) finds messages by what consumers and providers quote,
-- and lists what went wrong, without a scan of a table of millions. Dates are ranges of the time-ordered
-- primary key, so they need no index of their own.
create index messages_ext_idx on messages using hash (ext) where ext is not null;   -- ext is up to 1000 characters
create index messages_user_id_idx on messages (user_id, id desc) where user_id is not null;
create index receipts_not_applied_idx on receipts (id desc) where applied_at is null;
create index callback_events_failed_idx on callback_events (consumer_id, id desc) where status = 'FAILED';

-- Costs per OA and day (in Asia/Ho_Chi_Minh, by when the receipt came): a day is summed once, after it
-- ended, and kept beyond the receipts' retention; only today is summed from the receipts live.
create table cost_days (
    day          date          primary key                      -- a day summed: its rows below are complete
);
create table oa_day_costs (
    day          date          not null references cost_days (day) on delete cascade,
    oa_id        varchar(32)   not null,
    currency     varchar(8)    not null,
    amount       numeric(20, 6) not null,
    receipts     integer       not null,
    primary key (day, oa_id, currency)
);
