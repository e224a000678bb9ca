-- Contract v1.3: an SMS when Zalo cannot reach the customer, cancel, send windows and quota holds.

-- The message's own status and each channel's attempt (message/MessageState decides them together): the Zalo
-- attempt (null until a provider took it, or when it never was), the SMS fallback (null until decided: once, ever).
alter table messages add column zalo_status varchar(16);
update messages set zalo_status = status where status in ('SUBMITTED', 'SENT', 'DELIVERED', 'FAILED', 'UNCONFIRMED');
alter table messages add column channel varchar(8);
update messages set channel = 'zalo' where zalo_status is not null;
alter table messages drop constraint messages_status_known;
alter table messages add constraint messages_status_known check (status in
    ('ACCEPTED', 'SCHEDULED', 'SUBMITTED', 'SENT', 'DELIVERED', 'FAILED', 'UNCONFIRMED', 'CANCELLED'));

-- The fallback a message asked for, as validated: the SMS's phone, text and brandname, how long Zalo may take.
alter table messages add column fallback_phone varchar(15);
alter table messages add column fallback_text varchar(1000);
alter table messages add column fallback_brandname varchar(64);
alter table messages add column fallback_unicode boolean;
alter table messages add column fallback_parts smallint;
alter table messages add column fallback_after_ms bigint;
alter table messages add column fallback_due_at timestamptz;          -- submission + after: then the SMS goes unless delivered

-- The SMS attempt, with an outbox of its own (the same claims, leases and retries as Zalo sends).
alter table messages add column sms_status varchar(16);              -- PENDING, SUBMITTED, SENT, DELIVERED, FAILED
alter table messages add column sms_reason varchar(32);              -- zalo_failed, not_delivered_in_time, unconfirmed, oa_quota_held
alter table messages add column sms_provider_message_id varchar(64); -- eSMS's SMSID of the SMS
alter table messages add column sms_error_code varchar(64);
alter table messages add column sms_error_message varchar(1000);
alter table messages add column sms_error_class varchar(32);
alter table messages add column sms_submitted_at timestamptz;
alter table messages add column sms_due_at timestamptz;
alter table messages add column sms_lease_until timestamptz;
alter table messages add column sms_claim uuid;
alter table messages add column sms_attempts integer not null default 0;
alter table messages add constraint messages_fallback_whole check (
    (fallback_text is null) = (fallback_phone is null) and (sms_status is null or fallback_text is not null));
-- A message past the outbox has an attempt that says why: its status is derived from them (MessageState).
alter table messages add constraint messages_attempt_known check (
    status in ('ACCEPTED', 'SCHEDULED', 'CANCELLED') or zalo_status is not null or sms_status is not null);

-- Send windows (Asia/Ho_Chi_Minh time of day; from after to: across midnight), per message and per consumer default.
alter table messages add column window_from time;
alter table messages add column window_to time;
alter table consumers add column send_window_from time;
alter table consumers add column send_window_to time;

-- A receipt about a message's SMS fallback (eSMS's callback, TypeId 2), not its Zalo attempt.
alter table receipts add column sms boolean not null default false;

-- A message held for its OA's quota, until when.
alter table messages add column held_until timestamptz;

-- Each fallback trigger is an index lookup, never a scan: the SMS outbox, the after-deadline, the SMS's SMSID,
-- an OA's waiting messages (a hold released), and the Zalo attempts still out (the wait).
create index messages_sms_outbox_idx on messages (sms_due_at) where sms_status = 'PENDING';
create index messages_fallback_due_idx on messages (fallback_due_at) where sms_status is null and fallback_due_at is not null;
create index messages_sms_provider_message_id_idx on messages (sms_provider_message_id) where sms_provider_message_id is not null;
create index messages_held_idx on messages (oa_id) where held_until is not null and status in ('ACCEPTED', 'SCHEDULED');

-- When an OA's queue is held for quota: its latest known remaining quota is 0, reported since the last daily reset
-- (00:00 Asia/Ho_Chi_Minh); held until the next reset (or until a report shows quota again). The one definition,
-- read by the dispatcher and GET /v1/oas/{oa_id}/quota.
create function oa_held_until(oa bigint) returns timestamptz language sql stable as $$
    select (date_trunc('day', now() at time zone 'Asia/Ho_Chi_Minh') + interval '1 day') at time zone 'Asia/Ho_Chi_Minh'
    from oa_quotas q
    where q.oa_id = oa and q.remaining_quota = 0
      and q.reported_at >= date_trunc('day', now() at time zone 'Asia/Ho_Chi_Minh') at time zone 'Asia/Ho_Chi_Minh'
$$;

-- Status callbacks: CANCELLED too; the channel; and message.fallback_sent when the SMS is submitted (with why).
create or replace function message_status_event() returns trigger language plpgsql as $$
begin
    if new.status is distinct from old.status
            and new.status in ('SUBMITTED', 'SENT', 'DELIVERED', 'FAILED', 'UNCONFIRMED', 'CANCELLED') then
        new.event_sequence := old.event_sequence + 1;
        insert into callback_events (id, consumer_id, event_type, subject_id, sequence, data, next_attempt_at, created_at,
                                     updated_at)
        select uuid_v7(), c.id, 'message.status_changed', new.id, new.event_sequence,
               jsonb_build_object('id', new.id, 'kind', new.kind, 'status', new.status, 'previous_status', old.status,
                   'sequence', new.event_sequence, 'oa_id', new.oa_id::text, 'user_id', new.user_id, 'phone', new.phone,
                   'ext', new.ext, 'provider_message_id', new.provider_message_id, 'journey_id', new.journey_ref,
                   'zalo_msg_id', new.zalo_msg_id, 'channel', new.channel,
                   'error', case when new.status = 'FAILED' and new.sms_status = 'FAILED'
                                 then jsonb_build_object('code', new.sms_error_code, 'message', new.sms_error_message,
                                                         'class', new.sms_error_class)
                                 when new.error_code is not null and new.status = 'FAILED'
                                 then jsonb_build_object('code', new.error_code, 'message', new.error_message,
                                                         'class', new.error_class) end,
                   'cost', message_cost(new.id),
                   'occurred_at', now()),
               now(), now(), now()
        from consumers c where c.id = new.consumer_id and c.callback_url is not null;
    end if;
    if new.sms_status = 'SUBMITTED' and old.sms_status is distinct from 'SUBMITTED' then
        new.event_sequence := new.event_sequence + 1;
        insert into callback_events (id, consumer_id, event_type, subject_id, sequence, data, next_attempt_at, created_at,
                                     updated_at)
        select uuid_v7(), c.id, 'message.fallback_sent', new.id, new.event_sequence,
               jsonb_build_object('id', new.id, 'kind', new.kind, 'status', new.status, 'sequence', new.event_sequence,
                   'oa_id', new.oa_id::text, 'ext', new.ext, 'channel', 'sms', 'reason', new.sms_reason,
                   'phone', new.fallback_phone, 'provider_message_id', new.sms_provider_message_id,
                   'parts', new.fallback_parts, 'occurred_at', now()),
               now(), now(), now()
        from consumers c where c.id = new.consumer_id and c.callback_url is not null;
    end if;
    return new;
end
$$;

drop trigger messages_status_event on messages;
create trigger messages_status_event before update of status, sms_status on messages
    for each row execute function message_status_event();
