package io.compensa.host.cli;

import picocli.CommandLine;

/**
 * The version {@code compensa --version} prints, from the jar's manifest. Stateless and
 * thread-safe.
 */
final class CompensaVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = CompensaCli.class.getPackage().getImplementationVersion();
    return new String[] {"compensa " + (version == null ? "(development build)" : version)};
  }
}
