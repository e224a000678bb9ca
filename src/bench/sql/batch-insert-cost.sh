#!/bin/bash
# Where PostgreSQL's time goes when a batch of 1,000 messages is inserted (docs/BENCHMARKS.md, batches): as the
# schema is, without the batch_id foreign key, without both foreign keys, without the five listing indexes. One
# session, the server's time of each INSERT (25 timed after 5), per row. A scratch database "batchexp" on
# 127.0.0.1:5432 (PGHOST/PGPORT to change), dropped and made again from the migrations.
# Run from the project's root: bash src/bench/sql/batch-insert-cost.sh
set -e
P="psql -h ${PGHOST:-127.0.0.1} -p ${PGPORT:-5432} -U ${PGUSER:-postgres} -q -v ON_ERROR_STOP=1"
$P -c "drop database if exists batchexp" -c "create database batchexp"
for f in $(ls src/main/resources/db/migration/V*.sql | sed 's/.*\/V\([0-9]*\)__.*/\1 &/' | sort -n | cut -d' ' -f2); do
  $P -d batchexp -f "$f" > /dev/null
done
$P -d batchexp <<'SQL'
insert into consumers (id, name, all_oas, created_at, updated_at) values ('00000000-0000-7000-8000-0000000000aa', 'bench', true, now(), now());
create table payload as select repeat('{"template_type":"transaction_order","language":"VI","elements":[{"type":"banner","image_url":"https://example.vn/b.png"},{"type":"header","content":"Xác nhận đơn hàng","align":"left"},{"type":"table","content":[{"key":"Mã đơn","value":"F-01332973223"},{"key":"Trạng thái","value":"Đang giao","style":"yellow"}]}],"buttons":[{"title":"Xem đơn","type":"oa.open.url","payload":{"url":"https://example.vn/order/1"}}]}', 2) as p;
SQL
run() {
  label=$1
  $P -d batchexp -c "delete from messages" -c "delete from batches" -c "vacuum analyze messages" > /dev/null
  out=$($P -d batchexp -At 2>&1 <<'SQL'
\timing on
do $$
declare b uuid; t0 timestamptz; total interval := '0'; i int;
begin
  for i in 1..30 loop
    b := gen_random_uuid();
    insert into batches (id, consumer_id, ext, accepted, rejected, items, created_at) values (b, '00000000-0000-7000-8000-0000000000aa', 'x', 1000, 0, '[]', now());
    t0 := clock_timestamp();
    insert into messages (consumer_id, batch_id, created_at, updated_at, id, kind, oa_id, user_id, template_type, language, zalo_payload, status, due_at, ext)
    select '00000000-0000-7000-8000-0000000000aa', b, now(), now(), gen_random_uuid(), 'transaction', 3041812345605770721, '7432981204' || g, 'transaction_order', 'VI', (select p from payload), 'ACCEPTED', now(), 'bench-' || g
    from generate_series(1, 1000) g;
    if i > 5 then total := total + (clock_timestamp() - t0); end if;
  end loop;
  raise notice 'us per row: %', round(extract(epoch from total) * 1e6 / 25000, 1);
end $$;
SQL
  )
  echo "$label: $(echo "$out" | grep -o 'us per row: .*' || echo "$out")"
}
run "as the schema is" 2>&1
$P -d batchexp -c "alter table messages drop constraint messages_batch_id_fkey"
run "without the batch_id FK" 2>&1
$P -d batchexp -c "alter table messages drop constraint messages_consumer_id_fkey"
run "without both FKs" 2>&1
$P -d batchexp -c "drop index messages_status_idx, messages_oa_id_idx, messages_consumer_idx, messages_user_id_idx, messages_batch_idx"
run "and without the five listing indexes" 2>&1
$P -c "drop database batchexp"
