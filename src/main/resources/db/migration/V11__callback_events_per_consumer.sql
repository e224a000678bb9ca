-- Callbacks are claimed consumer by consumer (each up to its free delivery slots), so that a claim costs
-- the same with ten pending events or a hundred thousand, and one consumer's backlog does not stand in
-- front of another's events.
create index callback_events_consumer_due_idx on callback_events (consumer_id, next_attempt_at, id) where status = 'PENDING';
drop index callback_events_due_idx;
