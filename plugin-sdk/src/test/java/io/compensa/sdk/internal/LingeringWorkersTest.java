package io.compensa.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker pool whose workers wait for the next call; real threads, no timing claims. */
class LingeringWorkersTest {
  private static final long LONG_LINGER = Duration.ofSeconds(30).toNanos();

  private final AtomicInteger poolTasks = new AtomicInteger();

  /** A cached pool, as the plugin's, that counts the tasks it is given. */
  private final ExecutorService pool =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          task -> {
            Thread thread = new Thread(task, "test-worker");
            thread.setDaemon(true);
            return thread;
          }) {
        @Override
        public void execute(Runnable command) {
          poolTasks.incrementAndGet();
          super.execute(command);
        }
      };

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void aTaskHandedWhileAWorkerLingersRunsOnThatWorkerWithoutThePool() throws Exception {
    LingeringWorkers workers = new LingeringWorkers(pool, LONG_LINGER);
    CompletableFuture<Thread> first = new CompletableFuture<>();
    workers.execute(() -> first.complete(Thread.currentThread()));
    Thread firstThread = first.get(10, TimeUnit.SECONDS);
    awaitLingering(workers, 1);

    CompletableFuture<Thread> second = new CompletableFuture<>();
    workers.execute(() -> second.complete(Thread.currentThread()));

    assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(firstThread);
    assertThat(poolTasks).hasValue(1);
  }

  @Test
  void workersThatFinishTogetherAllWaitUpToTheSlotsAndTakeTheNextTasksWithoutThePool()
      throws Exception {
    LingeringWorkers workers = new LingeringWorkers(pool, LONG_LINGER);
    int tasks = LingeringWorkers.SLOTS + 2;
    CountDownLatch allRunning = new CountDownLatch(tasks);
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < tasks; i++) {
      workers.execute(
          () -> {
            allRunning.countDown();
            awaitQuietly(release);
          });
    }
    assertThat(allRunning.await(10, TimeUnit.SECONDS)).as("each task on its own worker").isTrue();
    release.countDown();
    awaitLingering(workers, LingeringWorkers.SLOTS);
    assertThat(awaitPoolIdle(tasks - LingeringWorkers.SLOTS))
        .as("the workers beyond the slots went back to the pool")
        .isTrue();
    assertThat(workers.lingering())
        .as("never more than the slots")
        .isEqualTo(LingeringWorkers.SLOTS);

    CountDownLatch next = new CountDownLatch(LingeringWorkers.SLOTS);
    for (int i = 0; i < LingeringWorkers.SLOTS; i++) {
      workers.execute(next::countDown);
    }

    assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(poolTasks).hasValue(tasks);
  }

  @Test
  void aTaskWhoseWorkerBlocksHoldsUpNoOtherTask() throws Exception {
    LingeringWorkers workers = new LingeringWorkers(pool, LONG_LINGER);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    workers.execute(
        () -> {
          blocking.countDown();
          awaitQuietly(release);
        });
    assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();

    CountDownLatch ran = new CountDownLatch(1);
    workers.execute(ran::countDown);

    assertThat(ran.await(10, TimeUnit.SECONDS))
        .as("the second task ran while the first blocked")
        .isTrue();
    release.countDown();
  }

  @Test
  void aWorkerStopsLingeringOnceItsTimeIsUpAndLaterTasksGoThroughThePool() throws Exception {
    // the worker's clock stands still until the test moves it past the linger time
    AtomicLong now = new AtomicLong();
    LingeringWorkers workers = new LingeringWorkers(pool, Duration.ofMillis(1).toNanos(), now::get);
    CountDownLatch ran = new CountDownLatch(2);
    workers.execute(ran::countDown);
    awaitLingering(workers, 1);
    now.addAndGet(Duration.ofMillis(1).toNanos());
    awaitLingering(workers, 0);

    workers.execute(ran::countDown);

    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(poolTasks).hasValue(2);
  }

  @Test
  void onceThePoolIsShutDownTasksAreRejectedAndTheLingeringWorkerEnds() throws Exception {
    LingeringWorkers workers = new LingeringWorkers(pool, LONG_LINGER);
    workers.execute(() -> {});
    awaitLingering(workers, 1);

    pool.shutdownNow();

    assertThatThrownBy(() -> workers.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("shut down");
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS))
        .as("the lingering worker saw the interrupt and ended")
        .isTrue();
  }

  private static void awaitLingering(LingeringWorkers workers, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (workers.lingering() != expected && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(workers.lingering()).isEqualTo(expected);
  }

  /** Waits until {@code idle} of the pool's threads wait in it for a task; false after 10 s. */
  private boolean awaitPoolIdle(int idle) throws InterruptedException {
    ThreadPoolExecutor executor = (ThreadPoolExecutor) pool;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (executor.getPoolSize() - executor.getActiveCount() < idle
        && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    return executor.getPoolSize() - executor.getActiveCount() >= idle;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
