package io.compensa.host.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GroupedForceTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  /** A file whose records are numbered as appended and which knows how far a force reached. */
  private static final class FakeFile {
    final AtomicLong appended = new AtomicLong();
    final AtomicLong onDisk = new AtomicLong();
    final AtomicInteger forces = new AtomicInteger();

    synchronized long append() {
      return appended.incrementAndGet();
    }

    void force() throws IOException {
      long reached = appended.get();
      forces.incrementAndGet();
      try {
        Thread.sleep(0, 200_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      onDisk.accumulateAndGet(reached, Math::max);
    }
  }

  @Test
  void everyThreadReturnsOnlyOnceItsRecordIsOnDiskAndForcesAreShared() throws Exception {
    FakeFile file = new FakeFile();
    GroupedForce<IOException> forces = new GroupedForce<>(file::force, file.appended::get);
    int threads = 16;
    int each = 300;
    List<Long> early = new ArrayList<>();
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          ExecutorService pool = Executors.newFixedThreadPool(threads);
          try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
              results.add(
                  pool.submit(
                      () -> {
                        List<Long> notYetOnDisk = new ArrayList<>();
                        for (int n = 0; n < each; n++) {
                          long mine = file.append();
                          forces.awaitDurable(mine);
                          if (file.onDisk.get() < mine) {
                            notYetOnDisk.add(mine);
                          }
                        }
                        return notYetOnDisk;
                      }));
            }
            for (Future<List<Long>> result : results) {
              early.addAll(result.get());
            }
          } finally {
            pool.shutdownNow();
          }
        });
    assertThat(early).as("records a thread went on with before they were on disk").isEmpty();
    assertThat(forces.durable()).isEqualTo((long) threads * each);
    // 16 threads at once: forces are shared (one per record would mean no grouping at all)
    assertThat(file.forces.get()).isLessThan(threads * each);
  }

  @Test
  void aFailingForceFailsEveryThreadWhoseRecordItDidNotCoverAndNoneHangs() {
    AtomicLong appended = new AtomicLong();
    AtomicInteger attempts = new AtomicInteger();
    GroupedForce<IOException> forces =
        new GroupedForce<>(
            () -> {
              attempts.incrementAndGet();
              try {
                Thread.sleep(2);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new IOException("No space left on device");
            },
            appended::get);
    int threads = 8;
    List<String> failures = new ArrayList<>();
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          ExecutorService pool = Executors.newFixedThreadPool(threads);
          try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
              results.add(
                  pool.submit(
                      () -> {
                        go.await(60, TimeUnit.SECONDS);
                        try {
                          forces.awaitDurable(appended.incrementAndGet());
                          return "returned";
                        } catch (IOException e) {
                          return e.getMessage();
                        }
                      }));
            }
            go.countDown();
            for (Future<String> result : results) {
              failures.add(result.get());
            }
          } finally {
            pool.shutdownNow();
          }
        });
    assertThat(failures).hasSize(threads).containsOnly("No space left on device");
    assertThat(forces.durable()).isZero();
    assertThat(attempts.get()).isBetween(1, threads);
  }

  @Test
  void aWaitingThreadThatIsInterruptedStillWaitsForTheDiskAndKeepsItsInterrupt() throws Exception {
    AtomicLong appended = new AtomicLong();
    CountDownLatch forcing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupedForce<IOException> forces =
        new GroupedForce<>(
            () -> {
              forcing.countDown();
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                throw new IOException("interrupted", e);
              }
            },
            appended::get);
    Thread first =
        new Thread(
            () -> {
              try {
                forces.awaitDurable(appended.incrementAndGet());
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    first.start();
    assertThat(forcing.await(10, TimeUnit.SECONDS)).isTrue();
    long second = appended.incrementAndGet();
    AtomicLong durableWhenReturned = new AtomicLong(-1);
    AtomicInteger interruptedWhenReturned = new AtomicInteger(-1);
    Thread waiter =
        new Thread(
            () -> {
              try {
                forces.awaitDurable(second);
                durableWhenReturned.set(forces.durable());
                interruptedWhenReturned.set(Thread.currentThread().isInterrupted() ? 1 : 0);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    waiter.start();
    // the waiter queues behind the force in progress; interrupting it must not let it go on
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (waiter.getState() != Thread.State.WAITING && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    assertThat(waiter.getState())
        .as("the waiter queued behind the force")
        .isEqualTo(Thread.State.WAITING);
    waiter.interrupt();
    waiter.join(200);
    assertThat(waiter.isAlive()).as("went on before its record was on disk").isTrue();
    release.countDown();
    first.join(10_000);
    waiter.join(10_000);
    assertThat(durableWhenReturned.get()).isEqualTo(2);
    assertThat(interruptedWhenReturned.get()).isEqualTo(1);
  }
}
