package io.compensa.host.endpoint;

import io.compensa.host.client.PluginCallException;
import io.compensa.proto.v1.DriverError;
import io.grpc.Status;

/** How a failed plugin call becomes the engine's {@link DriverCallException}. Stateless. */
final class CallFailures {
  private CallFailures() {}

  /**
   * The plugin's own answer: its DriverError's message, retryable as it says (or when the call ran
   * out of time), its partial output and whether it rolled back.
   */
  static DriverCallException translate(PluginCallException e) {
    DriverError detail = e.driverError().orElse(null);
    boolean timedOut = e.status().getCode() == Status.Code.DEADLINE_EXCEEDED;
    String message =
        detail != null && !detail.getMessage().isEmpty() ? detail.getMessage() : e.getMessage();
    return new DriverCallException(
        message,
        e.retryable() || timedOut,
        detail != null && detail.hasPartialOutput() ? detail.getPartialOutput() : null,
        detail != null && detail.getRolledBack(),
        e);
  }
}
