-- Zalo transaction messages and their outbox: a message is committed before the 202, and the
-- dispatcher claims due rows with FOR UPDATE SKIP LOCKED plus a lease, so replicas never share one.
create table messages (
    id                   uuid          primary key,        -- also eSMS RequestId: a resend is dropped by eSMS
    oa_id                bigint        not null,
    user_id              varchar(32)   not null,
    template_type        varchar(32)   not null,
    language             varchar(2)    not null,
    zalo_payload         text          not null,           -- message.attachment.payload sent to eSMS (JSON)
    sandbox              boolean       not null default false,
    send_at              timestamptz,
    ext                  varchar(1000),
    journey_ref          uuid          references journeys (id),
    journey_phone        varchar(15),                       -- chained journey still to create
    journey_token_type   varchar(32),
    status               varchar(16)   not null,
    provider_message_id  varchar(64),                       -- eSMS SMSID
    error_code           varchar(64),
    error_message        varchar(1000),
    attempts             integer       not null default 0,
    due_at               timestamptz,                       -- next dispatch attempt; null once it left the outbox
    lease_until          timestamptz,                       -- claimed by a dispatcher until then
    created_at           timestamptz   not null,
    updated_at           timestamptz   not null,
    submitted_at         timestamptz,
    constraint messages_status_known check (status in
        ('ACCEPTED', 'SCHEDULED', 'SUBMITTED', 'SENT', 'DELIVERED', 'FAILED'))
);

create index messages_outbox_idx on messages (due_at) where status in ('ACCEPTED', 'SCHEDULED');
create index messages_provider_message_id_idx on messages (provider_message_id) where provider_message_id is not null;
create index messages_oa_id_idx on messages (oa_id, id desc);
create index messages_status_idx on messages (status, id desc);
create index messages_journey_ref_idx on messages (journey_ref) where journey_ref is not null;
