package io.compensa.host.testing;

import io.compensa.host.state.FileStateStore;
import io.compensa.host.state.StateLock;
import java.nio.file.Path;

/**
 * A second host in a child JVM: takes {@link FileStateStore}'s lock on the state file named by its
 * argument, prints {@code locked <pid>}, and holds the lock until its stdin closes.
 */
public final class StateLockHolder {
  private StateLockHolder() {}

  public static void main(String[] args) throws Exception {
    try (StateLock lock =
        new FileStateStore(Path.of(args[0])).lock("apply by the lock-holder test child")) {
      System.out.println("locked " + ProcessHandle.current().pid());
      System.out.flush();
      while (System.in.read() != -1) {
        // hold the lock until the parent closes our stdin or kills us
      }
    }
  }
}
