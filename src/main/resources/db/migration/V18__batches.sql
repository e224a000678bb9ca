-- Batches (contract v1.3): up to 1,000 messages accepted in one request and one commit. The batch keeps what it
-- answered (the items as the 202 listed them, rejected ones with their violations) so that a retry with the same
-- Idempotency-Key gets the same answer; its messages are ordinary messages that name it.
create table batches (
    id           uuid          primary key,
    consumer_id  uuid          not null references consumers (id),
    ext          varchar(1000),
    accepted     integer       not null,
    rejected     integer       not null,
    items        text          not null,           -- the answer's items (JSON array), as first answered
    created_at   timestamptz   not null
);
create index batches_created_at_idx on batches (created_at);

alter table messages add column batch_id uuid references batches (id);
-- A batch's counts per status and its messages' ids come from this index alone (an index-only scan), never a scan
-- of the messages; cancel finds the batch's waiting messages through it too.
create index messages_batch_idx on messages (batch_id, status) include (id) where batch_id is not null;
