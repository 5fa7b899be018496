package io.compensa.host.state;

import io.compensa.proto.v1.StateSnapshot;

/**
 * Where the host keeps its record of the resources it manages.
 *
 * <p>An apply takes the store's lock first, reads the snapshot, and writes a whole new snapshot after
 * every change. Implementations must make each write atomic (a reader sees the old snapshot or the
 * new one, never a mix) and must refuse a second lock holder, in this process or another. The
 * embedded default is {@link FileStateStore}. Implementations are thread-safe.
 */
public interface StateStore {

  /**
   * Takes the exclusive lock on this state, failing at once when someone else holds it.
   *
   * @param purpose what the holder is doing, shown to anyone refused (for example "apply plan.json")
   * @throws StateLockedException naming the holder when the state is locked
   */
  StateLock lock(String purpose) throws StateStoreException;

  /** Reads the current snapshot; an empty snapshot when nothing was ever written. */
  StateSnapshot read() throws StateStoreException;

  /** Replaces the snapshot atomically; the caller must hold the lock. */
  void write(StateSnapshot snapshot) throws StateStoreException;
}
