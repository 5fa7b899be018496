package io.compensa.host.secrets;

/**
 * The secrets store could not be read or written, or a value could not be encrypted or decrypted;
 * the message names the store, the entry and the problem, and what to do.
 */
public final class SecretStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public SecretStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception. */
  public SecretStoreException(String message) {
    super(message);
  }
}
