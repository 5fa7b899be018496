/**
 * The PostgreSQL store: a state and its apply journal kept in one PostgreSQL database, shared by
 * hosts on several machines.
 *
 * <p>{@link io.compensa.host.store.postgres.PostgresStore} implements {@link
 * io.compensa.host.state.StateStore} and hands out its {@link
 * io.compensa.host.store.postgres.PostgresStore#journal() journal}; both work through the one
 * database session that holds the state's advisory lock, so when that session dies the lock, and
 * every write of the apply that held it, go together. The schema is created and migrated on first
 * use ({@link io.compensa.host.store.postgres.PostgresSchema}); connection settings and credentials
 * come from {@link io.compensa.host.store.postgres.PostgresSettings}. {@link
 * io.compensa.host.store.postgres.PostgresStoreBackend} registers the store with the host library,
 * so a configuration whose "state" is a {@code postgresql://} URL opens it wherever this module is
 * on the class path. See docs/postgresql.md.
 */
package io.compensa.host.store.postgres;
