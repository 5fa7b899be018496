package io.compensa.host.conformance;

/** A check saw the plugin break the contract; the message says how. */
class CheckFailed extends Exception {
  private static final long serialVersionUID = 1L;

  CheckFailed(String message) {
    super(message);
  }

  /** Fails with {@code message} unless {@code condition} holds. */
  static void expect(boolean condition, String message) throws CheckFailed {
    if (!condition) {
      throw new CheckFailed(message);
    }
  }
}
