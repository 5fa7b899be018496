package io.compensa.host.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a reader over many inputs, each under a hang guard, and collects every input that made it
 * throw something other than its documented exception (or hang). Not thread-safe.
 */
public final class Fuzzing implements AutoCloseable {
  /** Reads one input; may throw anything. */
  @FunctionalInterface
  public interface Reader {
    void read(byte[] input) throws Exception;
  }

  private final String name;
  private final Class<? extends Throwable> documented;
  private final long guardSeconds;
  private ExecutorService executor = newExecutor();
  private final List<String> failures = new ArrayList<>();
  private int failed;
  private int inputs;
  private int accepted;
  private int rejected;

  public Fuzzing(String name, Class<? extends Throwable> documented, long guardSeconds) {
    this.name = name;
    this.documented = documented;
    this.guardSeconds = guardSeconds;
  }

  private static ExecutorService newExecutor() {
    return Executors.newSingleThreadExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, "fuzz");
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Runs {@code reader} on {@code input}: it must return, or throw the documented exception. */
  public void run(byte[] input, Reader reader) {
    inputs++;
    Future<?> result =
        executor.submit(
            () -> {
              reader.read(input);
              return null;
            });
    try {
      result.get(guardSeconds, TimeUnit.SECONDS);
      accepted++;
    } catch (ExecutionException e) {
      Throwable thrown = e.getCause();
      if (documented.isInstance(thrown)) {
        rejected++;
        if (thrown.getMessage() == null || thrown.getMessage().isBlank()) {
          fail(
              "input "
                  + inputs
                  + ": "
                  + documented.getSimpleName()
                  + " without a message for "
                  + show(input));
        }
      } else {
        fail(
            "input "
                + inputs
                + ": "
                + thrown
                + (thrown.getStackTrace().length > 0 ? " at " + thrown.getStackTrace()[0] : "")
                + " for "
                + show(input));
      }
    } catch (TimeoutException e) {
      result.cancel(true);
      executor.shutdownNow();
      executor = newExecutor();
      fail("input " + inputs + ": no answer within " + guardSeconds + " s for " + show(input));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void fail(String failure) {
    failed++;
    if (failures.size() < 20) {
      failures.add(failure);
    }
  }

  private static String show(byte[] input) {
    String text = new String(input, 0, Math.min(input.length, 300), StandardCharsets.UTF_8);
    return input.length
        + " bytes \""
        + text.replace("\n", "\\n")
        + (input.length > 300 ? "...\"" : "\"");
  }

  public int inputs() {
    return inputs;
  }

  /** Prints the counts, then asserts that nothing else came out. */
  public void report(long seed) {
    System.out.println(
        "[fuzz] "
            + name
            + ": "
            + inputs
            + " inputs (seed "
            + seed
            + "): "
            + accepted
            + " accepted, "
            + rejected
            + " rejected with "
            + documented.getSimpleName()
            + ", "
            + failed
            + " failures");
    assertThat(failures).as(name + ", seed " + seed).isEmpty();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
