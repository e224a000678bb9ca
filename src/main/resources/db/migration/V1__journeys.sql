-- Journey tokens, from our attempt to create them at eTelecom to their last receipt.
create table journeys (
    id              uuid         primary key,          -- time-ordered (UUIDv7): newest first = id desc
    oa_id           bigint       not null,
    phone           varchar(15)  not null,             -- normalised 84...
    token_type      varchar(32)  not null,
    status          varchar(16)  not null,
    provider_status varchar(8),                         -- eTelecom's letter: Z, P, N
    provider_ref    varchar(64),                        -- eTelecom's own id of the journey row
    journey_id      varchar(128),                       -- the provider journey id receipts quote
    journey_token   text,
    charged         boolean      not null default false,
    expires_at      timestamptz,
    failure_kind    varchar(16),
    error_code      varchar(64),
    error_message   varchar(1000),
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    version         bigint       not null default 0,
    constraint journeys_status_known check (status in
        ('PENDING', 'NEW', 'ENABLED', 'DISABLED', 'ACKNOWLEDGED', 'TIMED_OUT', 'FAILED')),
    constraint journeys_failure_explained check ((status = 'FAILED') = (failure_kind is not null))
);

create index journeys_journey_id_idx on journeys (journey_id) where journey_id is not null;
create index journeys_oa_id_idx on journeys (oa_id, id desc);
create index journeys_phone_idx on journeys (phone, id desc);
create index journeys_status_idx on journeys (status, id desc);
