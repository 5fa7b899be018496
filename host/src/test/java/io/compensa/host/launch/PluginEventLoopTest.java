package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.SelectStrategy;
import io.grpc.netty.shaded.io.netty.util.IntSupplier;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When the host's event loop polls for an answer or the next call, and when it sleeps. */
class PluginEventLoopTest {
  /** Windows long enough that no pause of a busy machine ends them during a test. */
  private static final long WINDOW = TimeUnit.SECONDS.toNanos(30);

  private final PluginEventLoop.CallsInFlight calls =
      new PluginEventLoop.CallsInFlight(WINDOW, WINDOW);
  private final CountDownLatch readArrived = new CountDownLatch(1);
  private final AtomicReference<StreamObserver<ReadResponse>> pending = new AtomicReference<>();
  private final AtomicInteger polls = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new DriverServiceGrpc.DriverServiceImplBase() {
                  @Override
                  public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
                    pending.set(response);
                    readArrived.countDown();
                  }
                })
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void withNoCallEverMadeTheLoopSleeps() throws Exception {
    assertThat(calls.answerOrCallNear(System.nanoTime())).isFalse();
    assertThat(new PluginEventLoop.PollWhileAnswering(calls).calculateStrategy(ready(0), false))
        .isEqualTo(SelectStrategy.SELECT);
    assertThat(polls).hasValue(0);
  }

  @Test
  void whileACallAwaitsItsAnswerTheLoopPollsForAWhileThenSleeps() throws Exception {
    DriverServiceGrpc.newFutureStub(ClientInterceptors.intercept(channel, calls))
        .read(ReadRequest.getDefaultInstance());
    assertThat(readArrived.await(10, TimeUnit.SECONDS)).isTrue();
    long now = System.nanoTime();

    assertThat(calls.answerOrCallNear(now)).isTrue();
    assertThat(new PluginEventLoop.PollWhileAnswering(calls).calculateStrategy(ready(0), false))
        .isEqualTo(SelectStrategy.CONTINUE);
    assertThat(new PluginEventLoop.PollWhileAnswering(calls).calculateStrategy(ready(1), false))
        .as("the sockets that are ready")
        .isEqualTo(1);
    assertThat(calls.answerOrCallNear(now + WINDOW + 1))
        .as("a slow answer: the loop sleeps")
        .isFalse();
  }

  @Test
  void afterACallEndsTheLoopPollsForTheNextOneOnlyBriefly() throws Exception {
    var answer =
        DriverServiceGrpc.newFutureStub(ClientInterceptors.intercept(channel, calls))
            .read(ReadRequest.getDefaultInstance());
    assertThat(readArrived.await(10, TimeUnit.SECONDS)).isTrue();
    pending.get().onNext(ReadResponse.getDefaultInstance());
    pending.get().onCompleted();
    answer.get(10, TimeUnit.SECONDS);
    long now = System.nanoTime();

    assertThat(calls.answerOrCallNear(now)).isTrue();
    assertThat(calls.answerOrCallNear(now + WINDOW + 1)).isFalse();
  }

  @Test
  void withTasksQueuedTheLoopPollsOnceAndRunsThem() throws Exception {
    assertThat(new PluginEventLoop.PollWhileAnswering(calls).calculateStrategy(ready(2), true))
        .isEqualTo(2);
    assertThat(polls).hasValue(1);
  }

  @Test
  void nettysLeakDetectionIsOffUnlessTheHostsJvmSetsIt() {
    ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
    try {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
      System.setProperty(PluginEventLoop.LEAK_DETECTION_PROPERTY, "simple");
      PluginEventLoop.disableLeakDetectionUnlessAsked();
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.SIMPLE);

      System.clearProperty(PluginEventLoop.LEAK_DETECTION_PROPERTY);
      PluginEventLoop.disableLeakDetectionUnlessAsked();
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    } finally {
      System.clearProperty(PluginEventLoop.LEAK_DETECTION_PROPERTY);
      ResourceLeakDetector.setLevel(before);
    }
  }

  private IntSupplier ready(int sockets) {
    return () -> {
      polls.incrementAndGet();
      return sockets;
    };
  }
}
