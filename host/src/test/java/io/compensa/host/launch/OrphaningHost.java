package io.compensa.host.launch;

import io.compensa.host.testing.LocalFs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A host JVM for {@link OrphanGuardTest}: launches localfs (behind an optional wrapper), prints the
 * plugin's pid on stdout, then either waits to be killed with SIGKILL, which runs no shutdown hook,
 * or exits without closing the plugin, which leaves the cleanup to the shutdown hook.
 *
 * <p>Arguments: the plugin's root directory (where the socket directory goes too, since a host
 * killed with SIGKILL cannot remove it), {@code wait} or {@code exit}, then an optional wrapper
 * command to put before the plugin's.
 */
public final class OrphaningHost {
  private OrphaningHost() {}

  /** See the class documentation for the arguments. */
  public static void main(String[] args) throws InterruptedException {
    List<String> command = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
    command.addAll(LocalFs.command());
    LaunchedPlugin plugin =
        new PluginLauncher()
            .launch(
                LocalFs.options(command, Path.of(args[0])).socketParent(Path.of(args[0])).build());
    System.out.println(plugin.pid());
    System.out.flush();
    if (args[1].equals("exit")) {
      System.exit(0);
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
