package io.compensa.sdk;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import io.compensa.proto.v1.DriverError;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * Turns driver failures into the gRPC statuses the host reads: a {@code google.rpc.Status} whose
 * details hold one {@code compensa.v1.DriverError}.
 *
 * <p>Stateless and thread-safe.
 */
final class DriverErrorStatus {

  private DriverErrorStatus() {}

  /**
   * Returns the status for a failure the driver reported.
   *
   * @param failure the driver's exception
   * @return the exception to send to the host
   */
  public static StatusRuntimeException of(DriverException failure) {
    DriverError.Builder detail =
        DriverError.newBuilder()
            .setMessage(failure.getMessage())
            .setRetryable(failure.isRetryable())
            .setRolledBack(failure.isRolledBack());
    failure
        .partialOutput()
        .ifPresent(output -> detail.setPartialOutput(ProtoConversion.output(output)));
    return build(code(failure.kind()), detail.build());
  }

  /**
   * Returns the status for an exception the driver did not expect (a bug, a broken invariant).
   *
   * @param what the call that failed, for example {@code "Create of localfs_file \"a\""}
   * @param unexpected the exception
   * @return the exception to send to the host
   */
  public static StatusRuntimeException unexpected(String what, Throwable unexpected) {
    DriverError detail =
        DriverError.newBuilder()
            .setMessage(
                what
                    + " failed unexpectedly: "
                    + unexpected
                    + " (a plugin bug: see the plugin's log for the stack trace)")
            .build();
    return build(Code.INTERNAL, detail);
  }

  /**
   * Returns a status with a DriverError detail for failures the SDK itself detects.
   *
   * @param code the status code
   * @param message what failed and what to do
   * @return the exception to send to the host
   */
  public static StatusRuntimeException sdk(Code code, String message) {
    return build(code, DriverError.newBuilder().setMessage(message).build());
  }

  private static StatusRuntimeException build(Code code, DriverError detail) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(detail.getMessage())
            .addDetails(Any.pack(detail))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  private static Code code(DriverException.Kind kind) {
    return switch (kind) {
      case FAILED -> Code.UNKNOWN;
      case INVALID_CONFIG -> Code.INVALID_ARGUMENT;
      case PRECONDITION -> Code.FAILED_PRECONDITION;
      case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
      case NOT_FOUND -> Code.NOT_FOUND;
      case TRANSIENT -> Code.UNAVAILABLE;
    };
  }
}
