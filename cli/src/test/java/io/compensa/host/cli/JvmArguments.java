package io.compensa.host.cli;

import java.lang.management.ManagementFactory;

/**
 * A stand-in for the CLI in {@link BinCompensaTest}'s checkouts: prints the JVM options it was
 * started with, one a line, then its arguments after {@code args:}.
 */
public final class JvmArguments {
  private JvmArguments() {}

  /** Prints the JVM's input arguments and then {@code args}. */
  public static void main(String[] args) {
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      System.out.println(option);
    }
    System.out.println("args: " + String.join(" ", args));
  }
}
