package io.compensa.host.endpoint;

import io.compensa.proto.v1.ResourceOutput;
import java.util.Optional;

/**
 * A plugin call that failed, as the apply engine sees it: the plugin's message, whether repeating
 * the call may help, the partial resource it left, and whether the plugin rolled its own work back.
 */
public final class DriverCallException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final transient ResourceOutput partialOutput;
  private final boolean rolledBack;
  private final boolean crashed;

  /** A failure with every detail the plugin gave. */
  public DriverCallException(
      String message,
      boolean retryable,
      ResourceOutput partialOutput,
      boolean rolledBack,
      Throwable cause) {
    this(message, retryable, partialOutput, rolledBack, cause, false);
  }

  /** A failure, saying whether the plugin process crashed during the call. */
  public DriverCallException(
      String message,
      boolean retryable,
      ResourceOutput partialOutput,
      boolean rolledBack,
      Throwable cause,
      boolean crashed) {
    super(message, cause);
    this.retryable = retryable;
    this.partialOutput = partialOutput;
    this.rolledBack = rolledBack;
    this.crashed = crashed;
  }

  /** Whether the plugin process died during the call: whether the call took effect is unknown. */
  public boolean crashed() {
    return crashed;
  }

  /** A plain, non-retryable failure. */
  public DriverCallException(String message) {
    this(message, false, null, false, null);
  }

  /** Whether repeating the same call later may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The incomplete resource the failed call left behind, when it left one. */
  public Optional<ResourceOutput> partialOutput() {
    return Optional.ofNullable(partialOutput).filter(o -> !o.getProviderId().isEmpty());
  }

  /** Whether the plugin undid its own partial work, so the call had no effect. */
  public boolean rolledBack() {
    return rolledBack;
  }
}
