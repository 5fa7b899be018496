package io.compensa.host.compensate;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;

/**
 * Makes a plugin call on behalf of an action the way the apply makes every call: its intent
 * journaled (durable) before it is made, its result journaled after, retryable failures and crashes
 * retried with backoff. The apply engine supplies it; compensation makes its calls through it.
 */
@FunctionalInterface
public interface DriverCaller {
  /** A plugin call that may fail. */
  @FunctionalInterface
  interface Call<T> {
    /** Makes the call. */
    T invoke() throws DriverCallException;
  }

  /** Makes {@code call}, named {@code callName} in the journal, for the action {@code actionId}. */
  <T> T call(String actionId, String callName, Call<T> call) throws DriverCallException;

  /**
   * Asks {@code target}'s driver, with Read, about its resource under {@code providerId}: whether a
   * call took effect, or whether a compensation removed it.
   *
   * @param callName the call's name in the journal, such as {@code "Read (recover)"}
   */
  default ReadResponse read(ResolvedAction target, String callName, String providerId)
      throws DriverCallException {
    return call(
        target.id(),
        callName,
        () ->
            target
                .endpoint()
                .read(
                    ReadRequest.newBuilder()
                        .setActionId(target.id())
                        .setResource(target.action().getResource())
                        .setProviderId(providerId)
                        .build()));
  }
}
