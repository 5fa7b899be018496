package io.compensa.host.state;

/**
 * The state could not be read, written or locked; the message says which, where, and what to do.
 */
public class StateStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the problem and the store. */
  public StateStoreException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
