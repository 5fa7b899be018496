package io.compensa.host.launch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every plugin process this JVM launched and has not stopped yet, killed by one shutdown hook.
 *
 * <p>A host that exits without closing its plugins (an exception, {@code System.exit}, Ctrl-C) must
 * not leave them running. One hook for the whole JVM, installed on first use, kills each process
 * and its descendants. A host killed with SIGKILL runs no hook: the plugin's own orphan guard
 * covers that case. Thread-safe.
 */
final class LaunchedProcesses {
  static final LaunchedProcesses INSTANCE = new LaunchedProcesses();

  private final Set<PluginProcess> live = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean hookInstalled = new AtomicBoolean();

  private LaunchedProcesses() {}

  void add(PluginProcess process) {
    if (hookInstalled.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(this::killAll, "compensa-plugin-shutdown-hook"));
    }
    live.add(process);
  }

  void remove(PluginProcess process) {
    live.remove(process);
  }

  private void killAll() {
    live.forEach(PluginProcess::killNow);
  }
}
