-- A Zalo attempt that Zalo took (SENT) but whose final report never came ends UNCONFIRMED after the wait, as
-- a SUBMITTED one does: the wait's pick walks this index instead of the SUBMITTED-only one.
create index messages_zalo_wait_sent_idx on messages (submitted_at) where zalo_status in ('SUBMITTED', 'SENT');
drop index messages_zalo_wait_idx;

-- The console lists one consumer's batches newest first (ids are time-ordered).
create index batches_consumer_idx on batches (consumer_id, id desc);
