-- Our own message id when a receipt names it: eSMS callbacks echo the RequestId we send (the message id)
-- beside their SMSID, so a message whose SMSID we never learned (eSMS answered 124, duplicate RequestId,
-- without one) is still found, and learns its SMSID from the callback.
alter table receipts add column message_id uuid;

create index receipts_unmatched_message_idx on receipts (message_id) where applied_at is null and valid and message_id is not null;
