package io.compensa.sdk;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one author callback for a unary call and answers the host: the value on success, a status
 * with a {@code DriverError} on failure.
 *
 * <p>Stateless and thread-safe.
 */
final class Responder {

  private static final Logger log = LoggerFactory.getLogger(Responder.class);

  /** An author callback that may fail with a {@link DriverException}. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws DriverException;
  }

  private Responder() {}

  static <T> void answer(String what, StreamObserver<T> observer, Call<T> call) {
    T response;
    try {
      response = call.run();
    } catch (DriverException failure) {
      log.atWarn()
          .addKeyValue("call", what)
          .addKeyValue("kind", failure.kind())
          .addKeyValue("retryable", failure.isRetryable())
          .setCause(failure.getCause())
          .log(failure.getMessage());
      observer.onError(DriverErrorStatus.of(failure));
      return;
    } catch (StatusRuntimeException status) {
      observer.onError(status);
      return;
    } catch (RuntimeException | Error unexpected) {
      log.atError()
          .addKeyValue("call", what)
          .setCause(unexpected)
          .log("{} failed unexpectedly", what);
      observer.onError(DriverErrorStatus.unexpected(what, unexpected));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
