-- Compensa PostgreSQL store, schema version 1.
-- One database may hold several states; every table is keyed by the state's name.

-- One row per state: the snapshot's scalar fields. "revision" counts committed writes (internal: it
-- lets a host write only the resources that changed since its own last write).
CREATE TABLE compensa_states (
  state        text        PRIMARY KEY,
  serial       bigint      NOT NULL,
  lineage      text        NOT NULL,
  last_plan_id text        NOT NULL,
  revision     bigint      NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per recorded resource: the ResourceState as ProtoJSON. Sensitive output values are never
-- here, only their references (secret:<resource>/<key>).
CREATE TABLE compensa_resources (
  state    text  NOT NULL REFERENCES compensa_states (state) ON DELETE CASCADE,
  name     text  NOT NULL,
  resource jsonb NOT NULL,
  PRIMARY KEY (state, name)
);

-- The journal of each state's latest apply: JournalRecord messages as ProtoJSON, in order. A new
-- apply replaces a finished journal; an unfinished one (no "complete" record) blocks applies until
-- `compensa recover` finishes it.
CREATE TABLE compensa_journal (
  state       text        NOT NULL,
  seq         bigint      NOT NULL,
  record      jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (state, seq)
);

-- Who holds each state's lock. The lock itself is a session advisory lock, which PostgreSQL releases
-- when the holder's connection ends; this row only tells others who and since when, and is
-- meaningful only while backend_pid holds the advisory lock.
CREATE TABLE compensa_lock_holders (
  state       text        PRIMARY KEY,
  host_pid    bigint      NOT NULL,
  host_name   text        NOT NULL,
  purpose     text        NOT NULL,
  since       timestamptz NOT NULL,
  backend_pid integer     NOT NULL
);
