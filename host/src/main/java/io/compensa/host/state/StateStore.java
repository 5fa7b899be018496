package io.compensa.host.state;

import io.compensa.proto.v1.StateSnapshot;
import java.time.Duration;

/**
 * Where the host keeps its record of the resources it manages.
 *
 * <p>An apply takes the store's lock first, reads the snapshot, and writes a whole new snapshot
 * after every change. Implementations must make each write atomic (a reader sees the old snapshot
 * or the new one, never a mix) and must refuse a second lock holder, in this process or another.
 * The embedded default is {@link FileStateStore}. Implementations are thread-safe.
 */
public interface StateStore {

  /**
   * Takes the exclusive lock on this state, failing at once when someone else holds it.
   *
   * @param purpose what the holder is doing, shown to anyone refused (for example "apply
   *     plan.json")
   * @throws StateLockedException naming the holder when the state is locked
   */
  StateLock lock(String purpose) throws StateStoreException;

  /**
   * Takes the exclusive lock, waiting up to {@code timeout} for its holder to release it (zero:
   * fail at once). The default polls {@link #lock(String)}; a store may wait more cleverly.
   *
   * @throws StateLockedException naming the holder when the state is still locked after the wait
   */
  default StateLock lock(String purpose, Duration timeout) throws StateStoreException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return lock(purpose);
      } catch (StateLockedException e) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          if (timeout.isZero()) {
            throw e;
          }
          throw new StateLockedException(
              e.getMessage() + " (gave up after waiting " + timeout.toSeconds() + " s)");
        }
        try {
          Thread.sleep(Math.min(Duration.ofNanos(left).toMillis() + 1, 200));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * {@code store} whose {@link #lock(String)} waits up to {@code timeout} for the lock (the CLI's
   * {@code --lock-timeout}); reads and writes go straight to {@code store}.
   */
  static StateStore waitingForLock(StateStore store, Duration timeout) {
    if (timeout.isZero()) {
      return store;
    }
    return new StateStore() {
      @Override
      public StateLock lock(String purpose) throws StateStoreException {
        return store.lock(purpose, timeout);
      }

      @Override
      public StateSnapshot read() throws StateStoreException {
        return store.read();
      }

      @Override
      public void write(StateSnapshot snapshot) throws StateStoreException {
        store.write(snapshot);
      }
    };
  }

  /** Reads the current snapshot; an empty snapshot when nothing was ever written. */
  StateSnapshot read() throws StateStoreException;

  /** Replaces the snapshot atomically; the caller must hold the lock. */
  void write(StateSnapshot snapshot) throws StateStoreException;
}
