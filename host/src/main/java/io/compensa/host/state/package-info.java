/**
 * The host's record of the resources it manages, behind one interface.
 *
 * <p>A {@link io.compensa.host.state.StateStore} is locked by one apply at a time (a second is
 * refused naming the holder, {@link io.compensa.host.state.StateLockedException}, or waits up to a
 * timeout), read as a snapshot, and written atomically. The embedded default, {@link
 * io.compensa.host.state.FileStateStore}, writes a temporary file, forces it and renames it over
 * the state, holds an OS file lock beside it, and never overwrites a state it could not parse. The
 * PostgreSQL store (module {@code compensa-store-postgres}, plugged in as a {@link
 * io.compensa.host.embed.StoreBackend}) keeps the same contract for teams. The apply journal
 * ({@code io.compensa.host.journal}) sits beside the state and keeps what a host that dies has not
 * yet written.
 */
package io.compensa.host.state;
