package io.compensa.bench;

import com.google.protobuf.Struct;
import io.compensa.host.client.PluginClient;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One launch of a plugin under the Compensa host, measured as {@code go-host -bench} measures it
 * under go-plugin's: launch to ready and to the first Read reply, sequential Reads (after half as
 * many again, unmeasured), concurrent Reads, RSS.
 */
final class CompensaHostRun {
  private final PluginLauncher launcher = new PluginLauncher();

  ProcessFigures run(
      Subject subject,
      LaunchOptions.Transport transport,
      Path scratch,
      int calls,
      int concurrency,
      Duration concurrentTime)
      throws InterruptedException {
    return run(subject, transport, scratch, calls, concurrency, concurrentTime, Map.of());
  }

  /**
   * As {@link #run(Subject, LaunchOptions.Transport, Path, int, int, Duration)}, with {@code
   * environment} added to the plugin's.
   */
  ProcessFigures run(
      Subject subject,
      LaunchOptions.Transport transport,
      Path scratch,
      int calls,
      int concurrency,
      Duration concurrentTime,
      Map<String, String> environment)
      throws InterruptedException {
    LaunchOptions.Builder builder = builder(subject, transport, scratch);
    environment.forEach(builder::environment);
    LaunchOptions options = builder.build();
    ReadRequest request = request(subject);
    long start = System.nanoTime();
    try (LaunchedPlugin plugin = launcher.launch(options)) {
      // launch() returns once the handshake is read, the channel connected, the health service
      // SERVING and the manifest described and validated: ready for driver calls
      double readyMillis = (System.nanoTime() - start) / 1e6;
      double readyCpuMillis = Figures.cpuMillis(plugin.pid());
      PluginClient client = plugin.client();
      client.read(request);
      double launchMillis = (System.nanoTime() - start) / 1e6;
      for (int n = 0; n < calls / 2; n++) {
        client.read(request);
      }
      double[] micros = new double[calls];
      for (int n = 0; n < calls; n++) {
        long begin = System.nanoTime();
        client.read(request);
        micros[n] = (System.nanoTime() - begin) / 1e3;
      }
      double rate = concurrent(client, request, concurrency, concurrentTime);
      return new ProcessFigures(
          readyMillis,
          readyCpuMillis,
          launchMillis,
          Figures.percentile(micros, 50),
          Figures.percentile(micros, 99),
          rate,
          Figures.rssMiB(plugin.pid()),
          Figures.rssAnonMiB(plugin.pid()),
          Figures.rssFileMiB(plugin.pid()));
    }
  }

  /**
   * Warms the host JVM up on {@code subject} over a Unix socket for about {@code time}: launches it
   * again and again, each time with {@code calls} sequential Reads and then concurrent Reads for
   * {@code concurrentTime}, so the call path is compiled by the JIT. The launch path runs only a
   * handful of times in that window and stays mostly interpreted, as it is in a CLI run.
   *
   * @return the calls per second of each launch's concurrent Reads, in order
   */
  List<Double> warmUp(
      Subject subject,
      Path scratch,
      int calls,
      int concurrency,
      Duration concurrentTime,
      Duration time)
      throws InterruptedException {
    ReadRequest request = request(subject);
    List<Double> rates = new ArrayList<>();
    long end = System.nanoTime() + time.toNanos();
    while (System.nanoTime() < end) {
      try (LaunchedPlugin plugin =
          launcher.launch(options(subject, LaunchOptions.Transport.UNIX, scratch))) {
        for (int n = 0; n < calls; n++) {
          plugin.client().read(request);
        }
        rates.add(concurrent(plugin.client(), request, concurrency, concurrentTime));
      }
    }
    return rates;
  }

  private static LaunchOptions options(
      Subject subject, LaunchOptions.Transport transport, Path scratch) {
    return builder(subject, transport, scratch).build();
  }

  private static LaunchOptions.Builder builder(
      Subject subject, LaunchOptions.Transport transport, Path scratch) {
    return LaunchOptions.builder(List.of(subject.executable().toString()))
        .pluginConfigJson(subject.configJson(scratch))
        .transport(transport)
        // plaintext on both transports, as go-plugin's client without AutoMTLS
        .autoMtls(LaunchOptions.AutoMtls.NEVER)
        .workingDirectory(scratch);
  }

  /** A Read of a provider id that does not exist: the driver's lookup and nothing else. */
  private static ReadRequest request(Subject subject) {
    return ReadRequest.newBuilder()
        .setActionId("bench")
        .setResource(
            ResourceSpec.newBuilder()
                .setName("interop")
                .setType(subject.type())
                .setConfig(Struct.getDefaultInstance()))
        .setProviderId("bench-absent")
        .build();
  }

  private static double concurrent(
      PluginClient client, ReadRequest request, int callers, Duration time)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[1];
    for (int t = 0; t < callers; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                  long end = window[0];
                  while (System.nanoTime() < end) {
                    client.read(request);
                    done.incrementAndGet();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  failure.set(e);
                }
              },
              "bench-caller-" + t);
      thread.start();
      threads.add(thread);
    }
    long begin = System.nanoTime();
    window[0] = begin + time.toNanos();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (failure.get() != null) {
      throw failure.get();
    }
    return done.get() / seconds;
  }
}
