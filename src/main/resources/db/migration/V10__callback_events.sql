-- Status callbacks (contract v1.1): every status change of a consumer's message or journey becomes an
-- event row in the same transaction as the change (a trigger: no code path can change a status and
-- forget its event), delivered from here by any replica, at least once, in order per message or journey.

-- Time-ordered ids, as the application's (UUIDv7): the delivery log pages newest first by id.
create function uuid_v7() returns uuid language sql volatile as $$
    select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
        52, 1), 53, 1), 'hex')::uuid
$$;

alter table messages add column event_sequence integer not null default 0;
alter table journeys add column event_sequence integer not null default 0;

create table callback_events (
    id                uuid          primary key,                  -- webhook-id, the same on every attempt
    consumer_id       uuid          not null references consumers (id),
    event_type        varchar(32)   not null,                     -- message.status_changed, journey.status_changed
    subject_id        uuid          not null,                     -- the message or journey
    sequence          integer       not null,                     -- grows by one with each change of the subject
    data              jsonb         not null,                     -- the facts at the change; the body is made from them
    status            varchar(16)   not null default 'PENDING',
    attempts          integer       not null default 0,
    next_attempt_at   timestamptz,
    last_status_code  integer,
    last_error        varchar(500),
    lease_until       timestamptz,                                -- claimed by a sender until then
    claim             uuid,
    created_at        timestamptz   not null,
    updated_at        timestamptz   not null,
    delivered_at      timestamptz,
    constraint callback_events_status_known check (status in ('PENDING', 'DELIVERED', 'FAILED'))
);
create index callback_events_due_idx on callback_events (next_attempt_at) where status = 'PENDING';
create index callback_events_subject_idx on callback_events (subject_id, sequence) where status = 'PENDING';
create index callback_events_consumer_idx on callback_events (consumer_id, id desc);
create index callback_events_updated_at_done_idx on callback_events (updated_at) where status <> 'PENDING';

create function message_status_event() returns trigger language plpgsql as $$
begin
    if new.status is distinct from old.status
            and new.status in ('SUBMITTED', 'SENT', 'DELIVERED', 'FAILED', 'UNCONFIRMED') then
        new.event_sequence := old.event_sequence + 1;
        insert into callback_events (id, consumer_id, event_type, subject_id, sequence, data, next_attempt_at, created_at,
                                     updated_at)
        select uuid_v7(), c.id, 'message.status_changed', new.id, new.event_sequence,
               jsonb_build_object('id', new.id, 'kind', new.kind, 'status', new.status, 'previous_status', old.status,
                   'sequence', new.event_sequence, 'oa_id', new.oa_id::text, 'user_id', new.user_id, 'phone', new.phone,
                   'ext', new.ext, 'provider_message_id', new.provider_message_id, 'journey_id', new.journey_ref,
                   'error', case when new.error_code is not null and new.status = 'FAILED'
                                 then jsonb_build_object('code', new.error_code, 'message', new.error_message) end,
                   'cost', case when new.fee_main is not null or new.fee_token is not null
                                then jsonb_build_object('currency', 'VND',
                                     'amount', coalesce(new.fee_main, 0) + coalesce(new.fee_token, 0))
                                else (select jsonb_build_object('currency', r.cost_currency, 'amount', r.cost_amount)
                                      from receipts r where r.message_ref = new.id and r.cost_amount is not null
                                      order by r.received_at desc, r.id desc limit 1) end,
                   'occurred_at', now()),
               now(), now(), now()
        from consumers c where c.id = new.consumer_id and c.callback_url is not null;
    end if;
    return new;
end
$$;

create trigger messages_status_event before update of status on messages
    for each row execute function message_status_event();

create function journey_status_event() returns trigger language plpgsql as $$
begin
    if new.status is distinct from old.status then
        new.event_sequence := old.event_sequence + 1;
        insert into callback_events (id, consumer_id, event_type, subject_id, sequence, data, next_attempt_at, created_at,
                                     updated_at)
        select uuid_v7(), c.id, 'journey.status_changed', new.id, new.event_sequence,
               jsonb_build_object('id', new.id, 'status', new.status, 'previous_status', old.status,
                   'sequence', new.event_sequence, 'oa_id', new.oa_id::text, 'phone', new.phone,
                   'token_type', new.token_type, 'journey_id', new.journey_id, 'provider_status', new.provider_status,
                   'charged', new.charged, 'expires_at', new.expires_at,
                   'error', case when new.error_code is not null and new.status = 'FAILED'
                                 then jsonb_build_object('code', new.error_code, 'message', new.error_message) end,
                   'occurred_at', now()),
               now(), now(), now()
        from consumers c where c.id = new.consumer_id and c.callback_url is not null;
    end if;
    return new;
end
$$;

create trigger journeys_status_event before update of status on journeys
    for each row execute function journey_status_event();
