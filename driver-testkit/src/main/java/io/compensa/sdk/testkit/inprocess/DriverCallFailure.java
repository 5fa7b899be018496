package io.compensa.sdk.testkit.inprocess;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.compensa.proto.v1.DriverError;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.ResourceOutput;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;

/**
 * A plugin call that failed, as the host would see it: the gRPC status code and the {@code
 * compensa.v1.DriverError} detail the SDK attached. {@link #getMessage()} is the driver's message,
 * the text an operator reads.
 *
 * <p>Immutable.
 */
public final class DriverCallFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The call, for example {@code Create of localfs_file "greeting"}. */
  private final String call;

  /** The status code the plugin answered with. */
  private final transient Status.Code code;

  /** The DriverError detail, or null when the answer carried none. */
  private final transient DriverError detail;

  private DriverCallFailure(
      String call, Status.Code code, DriverError detail, String message, Throwable cause) {
    super(message, cause);
    this.call = call;
    this.code = code;
    this.detail = detail;
  }

  static DriverCallFailure of(String call, StatusRuntimeException failure) {
    DriverError detail = null;
    com.google.rpc.Status status = StatusProto.fromThrowable(failure);
    if (status != null) {
      for (Any any : status.getDetailsList()) {
        if (any.is(DriverError.class)) {
          try {
            detail = any.unpack(DriverError.class);
          } catch (InvalidProtocolBufferException malformed) {
            throw new IllegalStateException(
                call + " answered a DriverError detail that does not parse", malformed);
          }
        }
      }
    }
    String description = failure.getStatus().getDescription();
    String message =
        detail != null ? detail.getMessage() : description == null ? "(no message)" : description;
    return new DriverCallFailure(call, failure.getStatus().getCode(), detail, message, failure);
  }

  /**
   * Returns the call that failed.
   *
   * @return for example {@code Create of localfs_file "greeting"}
   */
  public String call() {
    return call;
  }

  /**
   * Returns the gRPC status code the plugin answered with.
   *
   * @return the code
   */
  public Status.Code code() {
    return code;
  }

  /**
   * Returns the kind of failure the driver reported, read back from the status code as the host
   * reads it.
   *
   * @return the kind; empty when the code is none a {@link DriverException} produces (a plugin bug
   *     answers {@code INTERNAL}, a missing service {@code UNIMPLEMENTED})
   */
  public Optional<DriverException.Kind> kind() {
    return Optional.ofNullable(
        switch (code) {
          case UNKNOWN -> DriverException.Kind.FAILED;
          case INVALID_ARGUMENT -> DriverException.Kind.INVALID_CONFIG;
          case FAILED_PRECONDITION -> DriverException.Kind.PRECONDITION;
          case ALREADY_EXISTS -> DriverException.Kind.ALREADY_EXISTS;
          case NOT_FOUND -> DriverException.Kind.NOT_FOUND;
          case UNAVAILABLE -> DriverException.Kind.TRANSIENT;
          default -> null;
        });
  }

  /**
   * Returns whether the answer carried the {@code DriverError} detail every SDK failure has.
   *
   * @return false for a status the SDK did not make (for example a missing service)
   */
  public boolean hasDriverError() {
    return detail != null;
  }

  /**
   * Returns whether the driver said retrying the same call may succeed.
   *
   * @return the DriverError's {@code retryable}
   */
  public boolean retryable() {
    return detail != null && detail.getRetryable();
  }

  /**
   * Returns whether the driver said it undid its partial work before failing.
   *
   * @return the DriverError's {@code rolled_back}
   */
  public boolean rolledBack() {
    return detail != null && detail.getRolledBack();
  }

  /**
   * Returns what the driver said exists in the world after the failure.
   *
   * @return the DriverError's {@code partial_output}, as the host would record it
   */
  public Optional<ResourceOutput> partialOutput() {
    return detail != null && detail.hasPartialOutput()
        ? Optional.of(WireAnswers.output(detail.getPartialOutput()))
        : Optional.empty();
  }

  /**
   * Returns whether the host would take this failure for a plugin bug: the driver threw something
   * other than a {@link DriverException}, or broke the contract (for example a create without a
   * provider id).
   *
   * @return true for {@code INTERNAL}
   */
  public boolean pluginBug() {
    return code == Status.Code.INTERNAL;
  }

  @Override
  public String toString() {
    return call + " failed with " + code + ": " + getMessage();
  }
}
