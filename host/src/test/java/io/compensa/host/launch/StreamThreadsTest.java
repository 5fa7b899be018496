package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Plugin output readers run on pooled daemon threads that carry the reader's name while they read. */
class StreamThreadsTest {

  @Test
  void aReaderRunsOnADaemonThreadNamedAfterItAndItsThreadServesTheNextReader() throws Exception {
    CompletableFuture<Thread> first = new CompletableFuture<>();
    CompletableFuture<String> firstName = new CompletableFuture<>();
    StreamThreads.run("compensa-plugin-kv-stdout", () -> {
      firstName.complete(Thread.currentThread().getName());
      first.complete(Thread.currentThread());
    });
    Thread reader = first.get(5, TimeUnit.SECONDS);
    assertThat(firstName.get()).isEqualTo("compensa-plugin-kv-stdout");
    assertThat(reader.isDaemon()).isTrue();

    // once its reader has ended, the thread is idle again, and named so
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!reader.getName().startsWith("compensa-plugin-io-idle") && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(reader.getName()).startsWith("compensa-plugin-io-idle");

    CompletableFuture<Thread> second = new CompletableFuture<>();
    CompletableFuture<String> secondName = new CompletableFuture<>();
    StreamThreads.run("compensa-plugin-kv-stderr", () -> {
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
    StreamThreads.run("a", () -> {
      a.complete(Thread.currentThread());
      release.join();
    });
    StreamThreads.run("b", () -> {
      b.complete(Thread.currentThread());
      release.join();
    });
    try {
      assertThat(a.get(5, TimeUnit.SECONDS)).isNotSameAs(b.get(5, TimeUnit.SECONDS));
    } finally {
      release.complete(null);
    }
  }
}
