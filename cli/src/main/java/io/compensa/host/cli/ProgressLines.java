package io.compensa.host.cli;

import io.compensa.host.apply.ApplyListener;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.PlanAction;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress on stderr: a line when each action starts and ends, and every few seconds a line for
 * each action that is still running, with its elapsed time. Thread-safe.
 */
final class ProgressLines implements ApplyListener, AutoCloseable {
  private static final long SLOW_MILLIS = 5_000;

  private final PrintWriter err;
  private final long start = System.nanoTime();
  private final Map<String, Long> running = new ConcurrentHashMap<>();
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "compensa-progress");
            thread.setDaemon(true);
            return thread;
          });

  ProgressLines(PrintWriter err) {
    this.err = err;
    ticker.scheduleAtFixedRate(this::reportSlow, SLOW_MILLIS, SLOW_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void started(PlanAction action) {
    running.put(action.getId(), System.nanoTime());
    names.put(action.getId(), action.getResource().getName());
    line(
        String.format(
            Locale.ROOT,
            "start  %-7s %s (%s)",
            Text.kind(action.getKind()),
            action.getResource().getName(),
            action.getResource().getType()));
  }

  @Override
  public void finished(ActionOutcome outcome) {
    Long began = running.remove(outcome.getActionId());
    String took =
        began == null
            ? ""
            : String.format(Locale.ROOT, " in %.1f s", (System.nanoTime() - began) / 1e9);
    line(
        String.format(
            Locale.ROOT,
            "end    %-7s %s: %s%s",
            Text.kind(outcome.getKind()),
            outcome.getResourceName(),
            Text.status(outcome.getStatus()),
            took));
  }

  private void reportSlow() {
    long now = System.nanoTime();
    running.forEach(
        (id, began) -> {
          long millis = (now - began) / 1_000_000;
          if (millis >= SLOW_MILLIS) {
            line(
                String.format(
                    Locale.ROOT, "still running: %s (%d s)", names.get(id), millis / 1000));
          }
        });
  }

  private synchronized void line(String text) {
    err.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - start) / 1e9, text);
    err.flush();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
