-- A message's after-deadline (fallback_due_at) counts only while its Zalo attempt is out (SUBMITTED or SENT) and no
-- SMS was decided (message/MessageState#notDeliveredInTime); it was never cleared, so messages Zalo delivered in time
-- stayed in the deadline's index and, once a pick's worth of them were past their after, filled every pick: the
-- messages truly late behind them never fell back. The gateway now clears it when it stops counting (MessageLifecycle);
-- this clears it where it already stopped, and the index holds only the messages still waiting.
update messages set fallback_due_at = null
where fallback_due_at is not null and not (sms_status is null and zalo_status in ('SUBMITTED', 'SENT'));

drop index messages_fallback_due_idx;
create index messages_fallback_due_idx on messages (fallback_due_at)
    where fallback_due_at is not null and sms_status is null and zalo_status in ('SUBMITTED', 'SENT');
