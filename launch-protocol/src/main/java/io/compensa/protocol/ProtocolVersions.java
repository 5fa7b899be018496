package io.compensa.protocol;

import java.util.Set;
import java.util.TreeSet;

/**
 * The app protocol version of a handshake, picked as go-plugin's server picks it.
 *
 * <p>The host lists the versions it accepts in {@code PLUGIN_PROTOCOL_VERSIONS}; the plugin answers
 * with the highest version it supports that the host lists. When none match, it answers with its
 * lowest version and leaves it to the host to report the mismatch, which the host can explain
 * better. Stateless and thread-safe.
 */
public final class ProtocolVersions {
  private ProtocolVersions() {}

  /**
   * Returns the version to put in the handshake line.
   *
   * @param supported the versions the plugin speaks; not empty
   * @param hostList the value of {@code PLUGIN_PROTOCOL_VERSIONS}, comma separated, or null;
   *     entries that are not numbers are ignored
   * @return the highest common version, or the plugin's lowest when there is none
   */
  public static int negotiate(Set<Integer> supported, String hostList) {
    TreeSet<Integer> ours = new TreeSet<>(supported);
    Set<Integer> theirs = parse(hostList);
    for (Integer version : ours.descendingSet()) {
      if (theirs.contains(version)) {
        return version;
      }
    }
    return ours.first();
  }

  /**
   * Returns the versions a host lists.
   *
   * @param hostList the comma-separated list, or null
   * @return the numbers in it
   */
  public static Set<Integer> parse(String hostList) {
    Set<Integer> versions = new TreeSet<>();
    if (hostList == null) {
      return versions;
    }
    for (String entry : hostList.split(",")) {
      try {
        versions.add(Integer.parseInt(entry.trim()));
      } catch (NumberFormatException notANumber) {
        // go-plugin skips entries it cannot read; the host reports a version mismatch if any
      }
    }
    return versions;
  }

  /** The list a host puts in {@code PLUGIN_PROTOCOL_VERSIONS}: the versions, comma separated. */
  public static String format(Iterable<Integer> versions) {
    StringBuilder list = new StringBuilder();
    for (Integer version : versions) {
      if (list.length() > 0) {
        list.append(',');
      }
      list.append(version);
    }
    return list.toString();
  }
}
