package io.compensa.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * A driver call that failed, with what the host needs to decide what happens next: whether to
 * retry, whether a partial resource exists, whether the plugin already rolled its work back.
 *
 * <p>Create one with the static factories. The SDK turns it into a gRPC status whose details carry
 * a {@code compensa.v1.DriverError}; {@link #kind()} chooses the status code. The message is what
 * an operator reads: say what failed, on what input, and what to do. Instances are not modified
 * after construction and may be shared between threads.
 */
public final class DriverException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The category of a failure, which sets the gRPC status code the host sees. */
  public enum Kind {
    /** The call failed for a reason the other kinds do not name (UNKNOWN). */
    FAILED,
    /** The resource's configuration is invalid (INVALID_ARGUMENT). */
    INVALID_CONFIG,
    /** The plugin or the world is not in a state where the call can work (FAILED_PRECONDITION). */
    PRECONDITION,
    /** The resource already exists and was not made by this action (ALREADY_EXISTS). */
    ALREADY_EXISTS,
    /** The resource the call needs does not exist (NOT_FOUND). */
    NOT_FOUND,
    /** A transient failure: the same call may succeed later (UNAVAILABLE). */
    TRANSIENT
  }

  /** The failure's category. */
  private final Kind kind;

  /** What exists after the failure; not serialized, as it may hold secrets. */
  private final transient ResourceOutput partialOutput;

  /** Whether the plugin undid its partial work. */
  private final boolean rolledBack;

  private DriverException(
      Kind kind,
      String message,
      Throwable cause,
      ResourceOutput partialOutput,
      boolean rolledBack) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.partialOutput = partialOutput;
    this.rolledBack = rolledBack;
  }

  /**
   * Returns a non-retryable failure.
   *
   * @param message what failed, on what input, and what to do
   * @return the exception
   */
  public static DriverException failed(String message) {
    return new DriverException(Kind.FAILED, message, null, null, false);
  }

  /**
   * Returns a non-retryable failure caused by another exception.
   *
   * @param message what failed, on what input, and what to do
   * @param cause the underlying exception, logged by the plugin
   * @return the exception
   */
  public static DriverException failed(String message, Throwable cause) {
    return new DriverException(Kind.FAILED, message, cause, null, false);
  }

  /**
   * Returns a transient failure: the host retries the call with backoff.
   *
   * @param message what failed
   * @return the exception
   */
  public static DriverException retryable(String message) {
    return new DriverException(Kind.TRANSIENT, message, null, null, false);
  }

  /**
   * Returns a failure caused by an invalid resource configuration.
   *
   * @param message which key is wrong, what it holds, and what it should hold
   * @return the exception
   */
  public static DriverException invalidConfig(String message) {
    return new DriverException(Kind.INVALID_CONFIG, message, null, null, false);
  }

  /**
   * Returns a failure because the plugin or the world is not ready for the call (a missing plugin
   * setting, a parent that does not exist).
   *
   * @param message what is missing and how to provide it
   * @return the exception
   */
  public static DriverException preconditionFailed(String message) {
    return new DriverException(Kind.PRECONDITION, message, null, null, false);
  }

  /**
   * Returns a failure because the resource exists but another action made it.
   *
   * @param message which resource exists
   * @return the exception
   */
  public static DriverException alreadyExists(String message) {
    return new DriverException(Kind.ALREADY_EXISTS, message, null, null, false);
  }

  /**
   * Returns a failure because the resource the call needs does not exist.
   *
   * @param message which resource is missing
   * @return the exception
   */
  public static DriverException notFound(String message) {
    return new DriverException(Kind.NOT_FOUND, message, null, null, false);
  }

  /**
   * Returns a failure that left a resource which exists but is incomplete; the host records it
   * (marked tainted) instead of losing it.
   *
   * @param message what failed
   * @param partialOutput what exists
   * @return the exception
   */
  public static DriverException partial(String message, ResourceOutput partialOutput) {
    return new DriverException(
        Kind.FAILED, message, null, Objects.requireNonNull(partialOutput, "partialOutput"), false);
  }

  /**
   * Returns a failure whose partial work the plugin already undid: nothing took effect and nothing
   * leaked, so the host records the action as COMPENSATED.
   *
   * @param message what failed and what was rolled back
   * @return the exception
   */
  public static DriverException rolledBack(String message) {
    return new DriverException(Kind.FAILED, message, null, null, true);
  }

  /**
   * Returns the failure's category.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns whether the host may retry the call.
   *
   * @return true for {@link Kind#TRANSIENT}
   */
  public boolean isRetryable() {
    return kind == Kind.TRANSIENT;
  }

  /**
   * Returns what exists when the failure left an incomplete resource.
   *
   * @return the partial output, empty when nothing was left
   */
  public Optional<ResourceOutput> partialOutput() {
    return Optional.ofNullable(partialOutput);
  }

  /**
   * Returns whether the plugin rolled back its own partial work.
   *
   * @return true when the call did not take effect
   */
  public boolean isRolledBack() {
    return rolledBack;
  }
}
