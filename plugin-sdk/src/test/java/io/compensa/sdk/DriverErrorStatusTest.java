package io.compensa.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.compensa.proto.v1.DriverError;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

class DriverErrorStatusTest {

  private static DriverError detail(StatusRuntimeException exception) throws Exception {
    Status status = StatusProto.fromThrowable(exception);
    assertThat(status).isNotNull();
    assertThat(status.getDetailsCount()).isEqualTo(1);
    return status.getDetails(0).unpack(DriverError.class);
  }

  @Test
  void aRetryableFailureBecomesUnavailableWithARetryableDetail() throws Exception {
    StatusRuntimeException status =
        DriverErrorStatus.of(DriverException.retryable("the API throttled us"));

    assertThat(status.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
    assertThat(status.getStatus().getDescription()).isEqualTo("the API throttled us");
    assertThat(detail(status).getRetryable()).isTrue();
    assertThat(detail(status).getMessage()).isEqualTo("the API throttled us");
  }

  @Test
  void aPartialFailureCarriesWhatExists() throws Exception {
    StatusRuntimeException status =
        DriverErrorStatus.of(
            DriverException.partial(
                "tagging failed", ResourceOutput.of("i-123").withOutput("state", "running")));

    DriverError error = detail(status);
    assertThat(error.getRetryable()).isFalse();
    assertThat(error.getPartialOutput().getProviderId()).isEqualTo("i-123");
    assertThat(error.getPartialOutput().getOutputs().getFieldsOrThrow("state").getStringValue())
        .isEqualTo("running");
  }

  @Test
  void aRolledBackFailureSaysSo() throws Exception {
    assertThat(detail(DriverErrorStatus.of(DriverException.rolledBack("undone"))).getRolledBack())
        .isTrue();
  }

  @Test
  void eachKindHasItsStatusCode() {
    assertThat(DriverErrorStatus.of(DriverException.invalidConfig("x")).getStatus().getCode())
        .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(DriverErrorStatus.of(DriverException.preconditionFailed("x")).getStatus().getCode())
        .isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
    assertThat(DriverErrorStatus.of(DriverException.alreadyExists("x")).getStatus().getCode())
        .isEqualTo(io.grpc.Status.Code.ALREADY_EXISTS);
    assertThat(DriverErrorStatus.of(DriverException.notFound("x")).getStatus().getCode())
        .isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    assertThat(DriverErrorStatus.of(DriverException.failed("x")).getStatus().getCode())
        .isEqualTo(io.grpc.Status.Code.UNKNOWN);
  }

  @Test
  void anUnexpectedExceptionIsAnInternalErrorThatNamesTheCall() throws Exception {
    StatusRuntimeException status =
        DriverErrorStatus.unexpected("Create of tiny_note \"a\"", new NullPointerException("boom"));

    assertThat(status.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INTERNAL);
    assertThat(detail(status).getMessage())
        .contains("Create of tiny_note \"a\"")
        .contains("boom")
        .contains("plugin bug");
  }
}
