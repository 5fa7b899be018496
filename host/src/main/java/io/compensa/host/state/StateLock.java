package io.compensa.host.state;

/** A held state lock; closing it releases the lock. Closing twice is harmless. */
public interface StateLock extends AutoCloseable {
  @Override
  void close() throws StateStoreException;
}
