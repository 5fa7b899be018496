-- Compensa PostgreSQL store, schema version 3.

-- The sensitive output values of each state, encrypted with the team's key (Google Tink AEAD,
-- AES256_GCM, bound to the reference by the associated data), so that `compensa recover` on any
-- machine that has the key can finish an action whose outputs include a secret. "reference" is the
-- text the state records in the value's place (secret:<resource>/<key>); "key_id" is the id of the
-- key that encrypted it (also in the ciphertext's prefix), so a rotation knows which old keys are
-- still in use. Nothing here is readable without the key.
CREATE TABLE compensa_secrets (
  state      text        NOT NULL,
  reference  text        NOT NULL,
  ciphertext bytea       NOT NULL,
  key_id     bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (state, reference)
);
