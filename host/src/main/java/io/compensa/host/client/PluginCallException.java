package io.compensa.host.client;

import io.compensa.proto.v1.DriverError;
import io.grpc.Status;
import java.util.Objects;
import java.util.Optional;

/**
 * A call to a plugin failed: the plugin answered with an error, or did not answer in time.
 *
 * <p>Carries the gRPC status and, when the plugin attached one, the structured {@link DriverError}
 * from the status details: whether the call may be retried, the partial output of a resource that
 * exists but is incomplete, and whether the plugin rolled its own work back. Immutable after
 * construction and thread-safe.
 */
public class PluginCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String pluginName;
  private final PluginCall call;
  private final transient Status status;
  private final transient DriverError driverError;

  /**
   * Creates the exception.
   *
   * @param message the whole message, saying what failed and what to do
   * @param driverError the detail the plugin attached, or {@code null} when it attached none
   */
  public PluginCallException(
      String message,
      String pluginName,
      PluginCall call,
      Status status,
      DriverError driverError,
      Throwable cause) {
    super(message, cause);
    this.pluginName = Objects.requireNonNull(pluginName, "pluginName");
    this.call = Objects.requireNonNull(call, "call");
    this.status = Objects.requireNonNull(status, "status");
    this.driverError = driverError;
  }

  /** The plugin's name, as the host knows it. */
  public String pluginName() {
    return pluginName;
  }

  /** The call that failed. */
  public PluginCall call() {
    return call;
  }

  /** The gRPC status the call ended with. */
  public Status status() {
    return status;
  }

  /** The structured detail the plugin attached, if any. */
  public Optional<DriverError> driverError() {
    return Optional.ofNullable(driverError);
  }

  /** Whether the same call may succeed if repeated later, as the plugin says. */
  public boolean retryable() {
    return driverError != null && driverError.getRetryable();
  }
}
