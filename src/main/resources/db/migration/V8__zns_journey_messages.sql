-- ZNS journey messages (contract v1.2): eTelecom sends them with a journey token to a phone, from a
-- ZNS template and its parameters. A transaction message keeps its eSMS columns; a journey message
-- has its own, and the check below keeps each kind whole.
alter table messages add column kind varchar(16) not null default 'transaction';
alter table messages add column phone varchar(15);                 -- normalised 84...
alter table messages add column template_id integer;
alter table messages add column template_data text;                -- JSON object, as validated
alter table messages add column fee_main numeric(20, 6);           -- eTelecom's fees for the send (VND)
alter table messages add column fee_token numeric(20, 6);
alter table messages alter column user_id drop not null;
alter table messages alter column template_type drop not null;
alter table messages alter column language drop not null;
alter table messages alter column zalo_payload drop not null;
alter table messages add constraint messages_kind_whole check (
    (kind = 'transaction' and user_id is not null and template_type is not null and language is not null
        and zalo_payload is not null)
    or (kind = 'zns_journey' and phone is not null and template_id is not null and template_data is not null
        and (journey_ref is not null or journey_phone is not null)));

-- A token letter eTelecom documents none of is kept in provider_status and read UNKNOWN, not NEW.
alter table journeys drop constraint journeys_status_known;
alter table journeys add constraint journeys_status_known check (status in
    ('PENDING', 'NEW', 'ENABLED', 'DISABLED', 'UNKNOWN', 'ACKNOWLEDGED', 'TIMED_OUT', 'FAILED'));

-- What NXCloud sends besides the status: kept, where the seed says failure details live (zaloRes).
alter table receipts add column app_id varchar(32);
alter table receipts add column provider_timestamp timestamptz;    -- NXCloud "timestamp" (journey receipts)
alter table receipts add column zalo_error integer;
alter table receipts add column zalo_message varchar(1000);
alter table receipts add column zalo_sys_msg varchar(1000);
alter table receipts add column zalo_cus_msg varchar(1000);
alter table receipts add column zalo_msg_id varchar(128);
alter table receipts add column zalo_sent_at timestamptz;
alter table receipts add column zalo_sending_mode varchar(16);
alter table receipts add column unreadable varchar(500);          -- optional fields that could not be read
