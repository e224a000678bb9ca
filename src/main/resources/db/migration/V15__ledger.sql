-- One ledger for money and quota (vn.zalogateway.ledger, its only writer). A charge is recorded once, where
-- the gateway learns it: a receipt's cost (NXCloud), eTelecom's fees in its SendZNSJourney answer, an SMS's
-- price (eSMS). The message resource, status callbacks, /v1/reports/costs and the console all read it, so
-- they agree to the unit. Before this version the same fact had four definitions (the V10 trigger, the
-- message view, the cost report and the console), which disagreed for journey messages.
create table charges (
    id           bigserial      primary key,
    consumer_id  uuid           not null,
    oa_id        bigint         not null,
    subject_id   uuid           not null,              -- what was charged for: a message, or a journey (its token)
    item         varchar(16)    not null,              -- message (the Zalo send), journey_token, sms
    message_id   uuid,                                 -- the message it came with: part of that message's cost
    provider     varchar(16)    not null,              -- nxcloud, etelecom, esms
    source       varchar(16)    not null,              -- what told it: receipt, send_answer
    currency     varchar(8)     not null,
    amount       numeric(20, 6) not null,
    occurred_at  timestamptz    not null,              -- when the gateway learned it
    of_record    boolean        not null,              -- told by the provider that bills it (the one that sent it)
    -- Once: success and delivered receipts repeat a message's cost, eSMS's callback and NXCloud's receipt both
    -- report a transaction message's, eTelecom's fee_token and the token's journey_acknowledged the same
    -- charge. The provider that sent it (and bills it) is the charge; another's report stands in until it tells.
    constraint charges_once unique (subject_id, item),
    constraint charges_item_known check (item in ('message', 'journey_token', 'sms'))
);
create index charges_message_idx on charges (message_id) where message_id is not null;
create index charges_consumer_idx on charges (consumer_id, occurred_at);
create index charges_occurred_at_idx on charges (occurred_at);

-- The latest quota each OA is known to have: from receipts matched to their messages (NXCloud's success
-- receipts carry zaloRes.data.quota but no oaId: the OA is the message's) and from providers' quota answers.
create table oa_quotas (
    oa_id            bigint       primary key,
    remaining_quota  integer      not null,
    daily_quota      integer,
    reported_at      timestamptz  not null,           -- when the provider reported it (older reports never win)
    source           varchar(16)  not null             -- receipt, provider
);

-- What the gateway knew before this version, recorded once in the ledger: eTelecom's fees first (they
-- are what eTelecom charges), then each message's and journey's costed receipt where no fee said it (eSMS's
-- callback for a transaction message, which eSMS bills, else the first).
insert into charges (consumer_id, oa_id, subject_id, item, message_id, provider, source, currency, amount, occurred_at, of_record)
select consumer_id, oa_id, id, 'message', id, 'etelecom', 'send_answer', 'VND', fee_main, coalesce(submitted_at, updated_at), true
from messages where fee_main is not null
on conflict do nothing;
insert into charges (consumer_id, oa_id, subject_id, item, message_id, provider, source, currency, amount, occurred_at, of_record)
select distinct on (m.journey_ref) m.consumer_id, m.oa_id, m.journey_ref, 'journey_token', m.id, 'etelecom', 'send_answer', 'VND',
       m.fee_token, coalesce(m.submitted_at, m.updated_at), true
from messages m where m.fee_token > 0 and m.journey_ref is not null
order by m.journey_ref, m.id
on conflict do nothing;
insert into charges (consumer_id, oa_id, subject_id, item, message_id, provider, source, currency, amount, occurred_at, of_record)
select distinct on (r.message_ref) m.consumer_id, m.oa_id, m.id, 'message', m.id, r.provider, 'receipt', r.cost_currency,
       r.cost_amount, r.received_at, r.provider = 'esms' and m.kind = 'transaction'
from receipts r join messages m on m.id = r.message_ref
where r.cost_amount is not null and r.cost_currency is not null
order by r.message_ref, r.provider = 'esms' and m.kind = 'transaction' desc, r.received_at, r.id
on conflict do nothing;
insert into charges (consumer_id, oa_id, subject_id, item, message_id, provider, source, currency, amount, occurred_at, of_record)
select distinct on (r.journey_ref) j.consumer_id, j.oa_id, j.id, 'journey_token', null, r.provider, 'receipt', r.cost_currency,
       r.cost_amount, r.received_at, false
from receipts r join journeys j on j.id = r.journey_ref
where r.cost_amount is not null and r.cost_currency is not null
order by r.journey_ref, r.received_at, r.id
on conflict do nothing;

insert into oa_quotas (oa_id, remaining_quota, daily_quota, reported_at, source)
select distinct on (coalesce(m.oa_id, j.oa_id)) coalesce(m.oa_id, j.oa_id), r.remaining_quota, r.daily_quota, r.received_at, 'receipt'
from receipts r
left join messages m on m.id = r.message_ref
left join journeys j on j.id = r.journey_ref
where r.remaining_quota is not null and coalesce(m.oa_id, j.oa_id) is not null
order by coalesce(m.oa_id, j.oa_id), r.received_at desc, r.id desc;

-- The console's hourly sums are the ledger's now (they summed receipts by receipts.oa_id, which message
-- receipts never carry): summed again from the charges when next asked.
truncate cost_hours cascade;
alter table oa_hour_costs rename column receipts to charges;
alter table oa_hour_costs alter column oa_id type bigint using oa_id::bigint;

-- A message's cost, the one definition the message resource, its status callbacks and the console read:
-- the sum of the ledger's charges that came with it, in their currency; null while none is known. Should
-- they be in several currencies, each currency's sum (a Zalo attempt and an SMS may be billed apart).
create function message_cost(message uuid) returns jsonb language sql stable as $$
    select case when count(*) = 0 then null
                when count(distinct currency) = 1 then jsonb_build_object('currency', min(currency), 'amount', sum(amount))
                else jsonb_build_object('totals', (select jsonb_agg(jsonb_build_object('currency', t.currency, 'amount', t.amount)
                                                                    order by t.currency)
                                                   from (select currency, sum(amount) as amount from charges
                                                         where message_id = message group by currency) t)) end
    from charges where message_id = message
$$;

-- Status callbacks carry the message's cost as the ledger has it, like everything else.
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
                   'error', case when new.error_code is not null and new.status = 'FAILED'
                                 then jsonb_build_object('code', new.error_code, 'message', new.error_message) end,
                   'cost', message_cost(new.id),
                   'occurred_at', now()),
               now(), now(), now()
        from consumers c where c.id = new.consumer_id and c.callback_url is not null;
    end if;
    return new;
end
$$;

-- eTelecom's fees live in the ledger alone now.
alter table messages drop column fee_main;
alter table messages drop column fee_token;

-- UNCONFIRMED for every message, whatever its provider: the messages still SUBMITTED past the wait are
-- found by when they were submitted, without a scan.
create index messages_submitted_idx on messages (submitted_at) where status = 'SUBMITTED';

-- The reconciler asks eSMS only about what eSMS can answer (a transaction message, not in its sandbox), also
-- once it is UNCONFIRMED (its last look); nobody is asked about the others: they only wait.
update messages set next_look_at = null where status = 'SUBMITTED' and not (kind = 'transaction' and not sandbox);
drop index messages_awaiting_receipt_idx;
create index messages_next_look_idx on messages (next_look_at) where status in ('SUBMITTED', 'UNCONFIRMED');
