package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Plugin output readers run on pooled daemon threads that carry the reader's name while they read.
 * Each test has a pool of its own: the shared pool's other idle threads (left by other tests'
 * plugins) could take any reader.
 */
class StreamThreadsTest {
  private final StreamThreads threads = new StreamThreads();

  @Test
  void aReaderRunsOnADaemonThreadNamedAfterItAndItsThreadServesTheNextReader() throws Exception {
    CompletableFuture<Thread> first = new CompletableFuture<>();
    CompletableFuture<String> firstName = new CompletableFuture<>();
    threads.execute(
        "compensa-plugin-kv-stdout",
        () -> {
          firstName.complete(Thread.currentThread().getName());
          first.complete(Thread.currentThread());
        });
    Thread reader = first.get(5, TimeUnit.SECONDS);
    assertThat(firstName.get()).isEqualTo("compensa-plugin-kv-stdout");
    assertThat(reader.isDaemon()).isTrue();

    // once its reader has ended, the thread is idle again, named so, and back waiting in its pool
    // (the pool's only thread: a next reader handed over before it waits there would start another)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(reader.getName().startsWith("compensa-plugin-io-idle")
            && reader.getState() == Thread.State.TIMED_WAITING)
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(reader.getName()).startsWith("compensa-plugin-io-idle");
    assertThat(reader.getState())
        .as("waiting in the pool for the next reader")
        .isEqualTo(Thread.State.TIMED_WAITING);

    CompletableFuture<Thread> second = new CompletableFuture<>();
    CompletableFuture<String> secondName = new CompletableFuture<>();
    threads.execute(
        "compensa-plugin-kv-stderr",
        () -> {
          secondName.complete(Thread.currentThread().getName());
          second.complete(Thread.currentThread());
        });
    assertThat(second.get(5, TimeUnit.SECONDS)).isSameAs(reader);
    assertThat(secondName.get()).isEqualTo("compensa-plugin-kv-stderr");
  }

  @Test
  void readersThatRunAtOnceGetThreadsOfTheirOwn() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    CompletableFuture<Thread> a = new CompletableFuture<>();
    CompletableFuture<Thread> b = new CompletableFuture<>();
    threads.execute(
        "a",
        () -> {
          a.complete(Thread.currentThread());
          release.orTimeout(30, TimeUnit.SECONDS).join();
        });
    threads.execute(
        "b",
        () -> {
          b.complete(Thread.currentThread());
          release.orTimeout(30, TimeUnit.SECONDS).join();
        });
    try {
      assertThat(a.get(5, TimeUnit.SECONDS)).isNotSameAs(b.get(5, TimeUnit.SECONDS));
    } finally {
      release.complete(null);
    }
  }
}
