-- Providers read to the letter (issue 31). A message is found by every id a provider gives it: ours, the
-- sender's reference (eSMS's SMSID, eTelecom's msg_id), NXCloud's own requestId (which its receipts quote, and
-- which is not eSMS's SMSID) and Zalo's message id (zaloRes.data.msg_id, eSMS's partnerids, eTelecom's msg_id).
alter table messages add column zalo_msg_id varchar(128);
alter table messages add column nxcloud_request_id varchar(128);
create index messages_zalo_msg_id_idx on messages (zalo_msg_id) where zalo_msg_id is not null;
create index messages_nxcloud_request_id_idx on messages (nxcloud_request_id) where nxcloud_request_id is not null;
-- eTelecom's msg_id is Zalo's message id.
update messages set zalo_msg_id = provider_message_id where kind = 'zns_journey' and provider_message_id is not null;

-- What a failure means for what the gateway does next (recipient_unreachable, quota, template, account, transient,
-- unknown), beside the provider's own code and words, which are kept as they came.
alter table messages add column error_class varchar(32);

-- A provider's answer as it came, when it was odd (a value too long to keep, a success without an id), and what
-- was odd about it: kept for inspection, never guessed at.
alter table messages add column provider_answer text;
alter table messages add column provider_note varchar(500);
alter table journeys add column provider_answer text;

-- What eTelecom says of a journey besides its token: its own times and the phone it linked.
alter table journeys add column provider_created_at timestamptz;
alter table journeys add column provider_updated_at timestamptz;
alter table journeys add column provider_phone varchar(32);

-- Unmatched receipts waiting for a message by Zalo's message id.
create index receipts_unmatched_zalo_msg_idx on receipts (zalo_msg_id) where applied_at is null and valid and zalo_msg_id is not null;

-- Status callbacks carry what the message resource shows: Zalo's message id, and the class of an error.
create or replace function message_status_event() returns trigger language plpgsql as $$
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
                   'zalo_msg_id', new.zalo_msg_id,
                   'error', case when new.error_code is not null and new.status = 'FAILED'
                                 then jsonb_build_object('code', new.error_code, 'message', new.error_message,
                                                         'class', new.error_class) end,
                   'cost', message_cost(new.id),
                   'occurred_at', now()),
               now(), now(), now()
        from consumers c where c.id = new.consumer_id and c.callback_url is not null;
    end if;
    return new;
end
$$;
