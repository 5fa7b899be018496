-- Compensa PostgreSQL store, schema version 2.

-- How the state's last apply ended (StateSnapshot.finished_apply as ProtoJSON), written by the
-- write that finished it; NULL while an apply runs and for states written before version 2.
ALTER TABLE compensa_states ADD COLUMN finished_apply jsonb;
