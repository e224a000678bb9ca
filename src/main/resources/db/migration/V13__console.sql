-- The operator console (vn.zalogateway.console) finds messages by what consumers and providers quote,
-- and lists what went wrong, without a scan of a table of millions. Dates are ranges of the time-ordered
-- primary key, so they need no index of their own.
create index messages_ext_idx on messages using hash (ext) where ext is not null;   -- ext is up to 1000 characters
create index messages_user_id_idx on messages (user_id, id desc) where user_id is not null;
create index receipts_not_applied_idx on receipts (id desc) where applied_at is null;
create index callback_events_failed_idx on callback_events (consumer_id, id desc) where status = 'FAILED';
create index callback_events_subject_all_idx on callback_events (subject_id);          -- a message's callbacks, delivered too

-- Costs per OA and hour (by when the receipt came), summed once after the hour ended and kept beyond the
-- receipts' retention: the console adds up days (in Asia/Ho_Chi_Minh, a whole number of hours from UTC)
-- from them, and sums only the hour under way from the receipts themselves.
create table cost_hours (
    hour         timestamptz   primary key                      -- an hour summed: its rows below are complete
);
create table oa_hour_costs (
    hour         timestamptz   not null references cost_hours (hour) on delete cascade,
    oa_id        varchar(32)   not null,
    currency     varchar(8)    not null,
    amount       numeric(20, 6) not null,
    receipts     integer       not null,
    primary key (hour, oa_id, currency)
);

-- Every attempt to deliver a callback, as its answer came (the event row keeps only the last): the
-- message's timeline shows them all. Written in the statement that records the outcome; gone with its event.
create table callback_attempts (
    event_id     uuid          not null references callback_events (id) on delete cascade,
    attempt      integer       not null,
    status_code  integer,                                           -- the consumer's HTTP status, if it answered
    error        varchar(500),
    answered_at  timestamptz   not null,
    primary key (event_id, attempt)
);
