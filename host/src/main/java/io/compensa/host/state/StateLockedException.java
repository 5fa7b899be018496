package io.compensa.host.state;

/** Another apply holds the state's lock; the message names the holder and since when. */
public final class StateLockedException extends StateStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the holder. */
  public StateLockedException(String message) {
    super(message);
  }
}
