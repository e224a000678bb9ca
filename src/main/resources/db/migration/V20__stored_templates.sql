-- Contract v1.3: stored templates for transaction messages. A consumer saves a transaction template once, with
-- {{placeholders}} in its strings; a message names it (and a version, or the latest) and the data to fill in.
-- Owned by the storedtemplate package. Versions are immutable: a PUT adds one, nothing changes an old one.
create table stored_templates (
    id              uuid          primary key,
    consumer_id     uuid          not null references consumers (id),
    name            varchar(64)   not null,
    latest_version  integer       not null,
    created_at      timestamptz   not null,
    updated_at      timestamptz   not null,
    constraint stored_templates_name_form check (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    constraint stored_templates_latest_positive check (latest_version >= 1)
);
-- A name is unique per consumer; the listing reads the consumer's templates newest first (by id).
create unique index stored_templates_consumer_name_idx on stored_templates (consumer_id, name);
create index stored_templates_consumer_id_idx on stored_templates (consumer_id, id desc);

-- Each version as it was saved: the template's type and language, its elements and buttons (JSON text, with the
-- placeholders still in), and each placeholder's longest length ({"order_code": {"max_length": 20}}).
create table stored_template_versions (
    id              uuid          primary key,
    template_id     uuid          not null references stored_templates (id),
    version         integer       not null,
    template_type   varchar(32)   not null,
    language        varchar(2)    not null,
    elements        text          not null,
    buttons         text,
    placeholders    text          not null,
    created_at      timestamptz   not null,
    constraint stored_template_versions_positive check (version >= 1)
);
create unique index stored_template_versions_version_idx on stored_template_versions (template_id, version);
create index stored_template_versions_listing_idx on stored_template_versions (template_id, id desc);

-- Which stored template (name and version) a message was made from; null for a message written in full.
-- Plain values, no foreign key: a message keeps saying what it used whatever becomes of the template.
alter table messages add column stored_template_name varchar(64);
alter table messages add column stored_template_version integer;
alter table messages add constraint messages_stored_template_whole check (
    (stored_template_name is null) = (stored_template_version is null));
