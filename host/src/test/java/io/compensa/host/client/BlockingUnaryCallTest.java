package io.compensa.host.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The blocking call's waiting: answers, failures, interrupts, the in-flight count. */
class BlockingUnaryCallTest {
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private final CountDownLatch readStarted = new CountDownLatch(1);
  private final CompletableFuture<Void> readCancelled = new CompletableFuture<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  /** Read answers with the provider id it was asked for; "hang" never answers. */
  private final DriverServiceGrpc.DriverServiceImplBase driver =
      new DriverServiceGrpc.DriverServiceImplBase() {
        @Override
        public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
          if (request.getProviderId().equals("hang")) {
            ((ServerCallStreamObserver<ReadResponse>) response)
                .setOnCancelHandler(() -> readCancelled.complete(null));
            readStarted.countDown();
            return;
          }
          if (request.getProviderId().equals("refuse")) {
            response.onError(
                Status.FAILED_PRECONDITION.withDescription("no such thing").asRuntimeException());
            return;
          }
          response.onNext(ReadResponse.newBuilder().setExists(true).build());
          response.onCompleted();
        }
      };

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    // a server on its own threads, so answers arrive from another thread as over a socket
    server =
        InProcessServerBuilder.forName(name)
            .executor(serverThreads)
            .addService(driver)
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    serverThreads.shutdownNow();
  }

  @Test
  void aLoneCallGetsItsAnswerAndLeavesNothingInFlight() {
    ReadResponse answer = read("present");

    assertThat(answer.getExists()).isTrue();
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void aFailedCallThrowsItsStatusAndLeavesNothingInFlight() {
    StatusRuntimeException failure =
        catchThrowableOfType(StatusRuntimeException.class, () -> read("refuse"));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(failure.getStatus().getDescription()).isEqualTo("no such thing");
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void callsInFlightTogetherEachGetTheirAnswer() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<ReadResponse>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        answers.add(callers.submit(() -> read("present")));
      }
      for (var answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS).getExists()).isTrue();
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void anInterruptCancelsTheCallAndIsKeptForTheCaller() throws Exception {
    CompletableFuture<StatusRuntimeException> failure = new CompletableFuture<>();
    CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                read("hang");
                failure.complete(null);
              } catch (StatusRuntimeException e) {
                failure.complete(e);
              }
              stillInterrupted.complete(Thread.currentThread().isInterrupted());
            });
    caller.start();
    assertThat(readStarted.await(30, TimeUnit.SECONDS)).isTrue();

    caller.interrupt();

    assertThat(failure.get(30, TimeUnit.SECONDS).getStatus().getCode())
        .isEqualTo(Status.Code.CANCELLED);
    assertThat(stillInterrupted.get(30, TimeUnit.SECONDS)).isTrue();
    readCancelled.get(30, TimeUnit.SECONDS);
    assertThat(inFlight).hasValue(0);
  }

  private ReadResponse read(String providerId) {
    return BlockingUnaryCall.call(
        channel,
        DriverServiceGrpc.getReadMethod(),
        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
        ReadRequest.newBuilder().setProviderId(providerId).build(),
        inFlight);
  }
}
