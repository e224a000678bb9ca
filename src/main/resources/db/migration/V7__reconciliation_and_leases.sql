-- UNCONFIRMED: eSMS took a message and no receipt ever came, even when asked (GetCallback); a late
-- receipt still moves it on.
alter table messages drop constraint messages_status_known;
alter table messages add constraint messages_status_known check (status in
    ('ACCEPTED', 'SCHEDULED', 'SUBMITTED', 'SENT', 'DELIVERED', 'FAILED', 'UNCONFIRMED'));

-- The reconciler's per-message schedule: how often it was looked up, and when to look next (with backoff).
alter table messages add column looks integer not null default 0;
alter table messages add column next_look_at timestamptz;
create index messages_awaiting_receipt_idx on messages (next_look_at) where status = 'SUBMITTED';

-- Work one replica at a time does (reconciling with eSMS under its rate limit, purging old rows):
-- whoever holds a job's row until lease_until does it.
create table leases (
    name         varchar(64)  primary key,
    holder       uuid         not null,
    lease_until  timestamptz  not null
);

-- Retention: old rows are found by these without a scan.
create index receipts_received_at_idx on receipts (received_at);
create index messages_updated_at_final_idx on messages (updated_at) where status in ('DELIVERED', 'FAILED', 'UNCONFIRMED');
create index journeys_updated_at_idx on journeys (updated_at);

-- Messages submitted before this version: first looked up 10 minutes after submission, as the default says.
update messages set next_look_at = submitted_at + interval '10 minutes' where status = 'SUBMITTED';
