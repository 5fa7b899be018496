package io.compensa.host.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DriverError;
import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.ResourceOutput;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's error mapping and deadlines, against a real in-process gRPC server. */
class PluginClientTest {
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new FailingDriver())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void aDriverErrorDetailIsParsedFromTheStatus() {
    PluginClient client =
        new PluginClient(channel, "fake", CallDeadlines.defaults(), CrashWatch.NONE);

    PluginCallException failure =
        catchThrowableOfType(
            PluginCallException.class,
            () -> client.create(CreateRequest.newBuilder().setActionId("a1").build()));

    assertThat(failure).isNotInstanceOf(PluginCrashedException.class);
    assertThat(failure.call()).isEqualTo(PluginCall.CREATE);
    assertThat(failure.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure.retryable()).isTrue();
    assertThat(failure.driverError().orElseThrow().getPartialOutput().getProviderId())
        .isEqualTo("/half/made");
    assertThat(failure)
        .hasMessage("plugin fake: Create failed with UNAVAILABLE: the disk is busy (retryable)");
  }

  @Test
  void everyCallHasADeadlineAndTheErrorNamesIt() {
    CallDeadlines deadlines =
        CallDeadlines.builder().deadline(PluginCall.READ, Duration.ofMillis(200)).build();
    PluginClient client = new PluginClient(channel, "fake", deadlines, CrashWatch.NONE);

    PluginCallException failure =
        catchThrowableOfType(
            PluginCallException.class, () -> client.read(ReadRequest.getDefaultInstance()));

    assertThat(failure.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(failure).hasMessageContaining("no answer within its deadline of PT0.2S");
  }

  @Test
  void aCallToADeadPluginIsACrashWithExitCodeAndStderr() {
    PluginCrash crash = new PluginCrash(137, List.of("out of memory"));
    CrashWatch dead =
        new CrashWatch() {
          @Override
          public Optional<PluginCrash> crash(Duration wait) {
            return Optional.of(crash);
          }

          @Override
          public boolean closedByHost() {
            return false;
          }
        };
    PluginClient client = new PluginClient(channel, "fake", CallDeadlines.defaults(), dead);

    PluginCrashedException failure =
        catchThrowableOfType(
            PluginCrashedException.class, () -> client.read(ReadRequest.getDefaultInstance()));

    assertThat(failure.exitCode()).isEqualTo(137);
    assertThat(failure.stderrTail()).containsExactly("out of memory");
    assertThat(failure).hasMessageContaining("plugin fake crashed (exit code 137)");
  }

  @Test
  void aHealthyLookingPluginIsNotAskedForACrashBeforeTheCall() {
    int[] asked = new int[1];
    CrashWatch running =
        notSeenDead(
            wait -> {
              asked[0]++;
              return Optional.empty();
            });
    PluginClient client = new PluginClient(channel, "fake", CallDeadlines.defaults(), running);

    // the plugin's own DriverError: it was alive to send it, so the watch is not asked after either
    catchThrowableOfType(
        PluginCallException.class,
        () -> client.create(CreateRequest.newBuilder().setActionId("a1").build()));

    assertThat(asked[0]).isZero();
  }

  @Test
  void aDeathTheWatchHasNotSeenYetStillFailsTheCallAsACrash() {
    PluginCrash crash = new PluginCrash(9, List.of("killed"));
    // the exit is known only to a caller that waits for it
    CrashWatch dying = notSeenDead(wait -> wait.isZero() ? Optional.empty() : Optional.of(crash));
    PluginClient client = new PluginClient(channel, "fake", CallDeadlines.defaults(), dying);
    channel.shutdownNow();

    PluginCrashedException failure =
        catchThrowableOfType(
            PluginCrashedException.class, () -> client.read(ReadRequest.getDefaultInstance()));

    assertThat(failure.exitCode()).isEqualTo(9);
    assertThat(failure.stderrTail()).containsExactly("killed");
  }

  /** Create fails with a rich status; Read never answers. */
  private static final class FailingDriver extends DriverServiceGrpc.DriverServiceImplBase {
    @Override
    public void create(CreateRequest request, StreamObserver<CreateResponse> response) {
      DriverError detail =
          DriverError.newBuilder()
              .setMessage("the disk is busy")
              .setRetryable(true)
              .setPartialOutput(ResourceOutput.newBuilder().setProviderId("/half/made"))
              .build();
      response.onError(
          StatusProto.toStatusRuntimeException(
              com.google.rpc.Status.newBuilder()
                  .setCode(Code.UNAVAILABLE_VALUE)
                  .setMessage("busy")
                  .addDetails(Any.pack(detail))
                  .build()));
    }

    @Override
    public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
      // never answers: the deadline must end the call
    }
  }

  /**
   * A watch of a plugin not closed by the host and not yet seen to exit, which answers {@link
   * CrashWatch#crash} with {@code crash}.
   */
  private static CrashWatch notSeenDead(Function<Duration, Optional<PluginCrash>> crash) {
    return new CrashWatch() {
      @Override
      public Optional<PluginCrash> crash(Duration wait) {
        return crash.apply(wait);
      }

      @Override
      public boolean closedByHost() {
        return false;
      }

      @Override
      public boolean mayHaveDied() {
        return false;
      }
    };
  }
}
