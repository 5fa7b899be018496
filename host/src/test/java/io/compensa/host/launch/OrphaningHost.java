package io.compensa.host.launch;

import io.compensa.host.testing.LocalFs;
import java.nio.file.Path;

/**
 * A host JVM for {@link OrphanGuardTest}: launches localfs, prints the plugin's pid on stdout, then
 * waits to be killed with SIGKILL, which runs no shutdown hook.
 */
public final class OrphaningHost {
  private OrphaningHost() {}

  /** Takes the plugin's root directory as its only argument. */
  public static void main(String[] args) throws InterruptedException {
    LaunchedPlugin plugin =
        new PluginLauncher().launch(LocalFs.options(LocalFs.command(), Path.of(args[0])).build());
    System.out.println(plugin.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
