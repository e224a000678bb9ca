-- Every delivery receipt a provider sends, stored raw before anything else happens to it.
create table receipts (
    id               bigserial     primary key,
    provider         varchar(16)   not null,           -- nxcloud, esms
    natural_key      varchar(400)  not null,           -- what makes two deliveries the same receipt
    valid            boolean       not null,           -- false: kept for inspection, never applied
    problem          varchar(500),                     -- why it was not valid
    status           varchar(32),
    code             integer,
    message          varchar(1000),
    request_id       varchar(128),                     -- matches messages.provider_message_id
    journey_id       varchar(128),                     -- matches journeys.journey_id
    oa_id            varchar(32),
    sent_at          timestamptz,
    cost_currency    varchar(8),
    cost_amount      numeric(20, 6),
    remaining_quota  integer,
    daily_quota      integer,
    ext              text,
    raw_body         text          not null,
    message_ref      uuid          references messages (id),
    journey_ref      uuid          references journeys (id),
    applied_at       timestamptz,                      -- null while unmatched (or invalid)
    received_at      timestamptz   not null,
    constraint receipts_natural_key unique (provider, natural_key)
);

create index receipts_unmatched_request_idx on receipts (request_id) where applied_at is null and valid;
create index receipts_unmatched_journey_idx on receipts (journey_id) where applied_at is null and valid;
create index receipts_message_ref_idx on receipts (message_ref) where message_ref is not null;
create index receipts_quota_idx on receipts (oa_id, received_at desc) where remaining_quota is not null;
