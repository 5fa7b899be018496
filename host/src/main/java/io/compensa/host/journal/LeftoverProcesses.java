package io.compensa.host.journal;

import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.JournalHookStarted;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes an interrupted apply left behind on this machine: its host and the plugins it
 * started. Recovery waits for them to be gone before asking the drivers what happened, because an
 * orphaned plugin may still be finishing a call the dead host made; plugins' orphan guards stop
 * them within a second or so. One still running after the wait is killed, but only when it started
 * before the apply did (a process id reused by an unrelated program started later and is left
 * alone).
 */
public final class LeftoverProcesses {
  private static final Logger log = LoggerFactory.getLogger(LeftoverProcesses.class);

  private LeftoverProcesses() {}

  /**
   * Waits up to {@code patience} for the apply's processes to be gone, then kills the stragglers.
   */
  public static void awaitGone(JournalBegin begin, Duration patience) {
    if (!begin.getHostName().equals(hostName())
        || begin.getHostPid() == ProcessHandle.current().pid()) {
      return; // recovering on another machine: its processes are not ours to see
    }
    List<ProcessHandle> left = new ArrayList<>();
    Instant started = startedAt(begin);
    List<Long> pids = new ArrayList<>(begin.getPluginPidsList());
    pids.add(begin.getHostPid());
    for (long pid : pids) {
      ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().startInstant().map(s -> !s.isAfter(started)).orElse(false))
          .ifPresent(left::add);
    }
    if (!awaitExit(left, patience)) {
      return;
    }
    for (ProcessHandle process : left) {
      if (process.isAlive()) {
        log.warn(
            "process {} of the interrupted apply is still running after {} s; stopping it",
            process.pid(),
            patience.toSeconds());
        kill(process);
      }
    }
  }

  /**
   * Ends the command hook processes a dead host left running, before recover runs any hook again:
   * each journaled hook process that is still alive (the same process: its start time matches the
   * journal's) is asked to stop, with its descendants, and killed after {@code grace}. Hooks of an
   * apply journaled on another machine are not visible here and are left alone.
   */
  public static void endHooks(JournalBegin begin, List<JournalHookStarted> hooks, Duration grace) {
    if (!begin.getHostName().equals(hostName())) {
      return;
    }
    List<ProcessHandle> running = new ArrayList<>();
    for (JournalHookStarted hook : hooks) {
      ProcessHandle.of(hook.getPid())
          .filter(ProcessHandle::isAlive)
          .filter(
              p ->
                  p.info()
                      .startInstant()
                      .map(s -> s.toString().equals(hook.getProcessStartedAt()))
                      .orElse(false))
          .ifPresent(
              p -> {
                log.warn(
                    "command hook {} (process {}) of the interrupted apply is still running;"
                        + " stopping it before recover runs hooks again",
                    hook.getCommandList(),
                    p.pid());
                running.addAll(p.descendants().toList());
                running.add(p);
              });
    }
    running.forEach(ProcessHandle::destroy);
    awaitExit(running, grace);
    running.stream().filter(ProcessHandle::isAlive).forEach(LeftoverProcesses::kill);
  }

  /**
   * Waits up to {@code patience} for every one of {@code processes} to be gone; false when
   * interrupted.
   */
  private static boolean awaitExit(List<ProcessHandle> processes, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Kills {@code process} and waits up to 5 s for it to be gone. */
  private static void kill(ProcessHandle process) {
    process.destroyForcibly();
    process
        .onExit()
        .orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }

  private static Instant startedAt(JournalBegin begin) {
    try {
      return Instant.parse(begin.getStartedAt());
    } catch (DateTimeParseException e) {
      return Instant.EPOCH; // unknown: trust no process
    }
  }

  /** This machine's name, as journals record it. */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown host");
    }
  }
}
