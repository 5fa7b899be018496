package io.compensa.host.secrets;

/** The secrets store could not be read or written; the message names the file and the problem. */
public final class SecretStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public SecretStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
