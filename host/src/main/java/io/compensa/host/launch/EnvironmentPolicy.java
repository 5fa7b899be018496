package io.compensa.host.launch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which of the host's environment variables a plugin inherits.
 *
 * <p>Plugins run with the host's environment by default, which may hold secrets they have no
 * business seeing. A policy is either an allowlist (only the listed variables pass) or a denylist
 * (all but the listed pass). A pattern is a variable name, or a prefix followed by {@code *}
 * ({@code AWS_*}). The variables of the launch protocol itself are added after filtering and never
 * withheld.
 *
 * <p>Immutable and thread-safe.
 */
public final class EnvironmentPolicy {
  private static final EnvironmentPolicy INHERIT_ALL = new EnvironmentPolicy(false, List.of());

  private final boolean allowlist;
  private final List<String> patterns;

  private EnvironmentPolicy(boolean allowlist, List<String> patterns) {
    this.allowlist = allowlist;
    this.patterns = List.copyOf(patterns);
    this.patterns.forEach(EnvironmentPolicy::checkPattern);
  }

  /** Passes the whole host environment. */
  public static EnvironmentPolicy inheritAll() {
    return INHERIT_ALL;
  }

  /** Passes only the variables that match one of {@code patterns}. */
  public static EnvironmentPolicy allowOnly(List<String> patterns) {
    return new EnvironmentPolicy(true, patterns);
  }

  /** Passes every variable except those that match one of {@code patterns}. */
  public static EnvironmentPolicy deny(List<String> patterns) {
    return new EnvironmentPolicy(false, patterns);
  }

  /** Whether a variable named {@code name} passes. */
  public boolean passes(String name) {
    boolean listed = patterns.stream().anyMatch(pattern -> matches(pattern, name));
    return allowlist == listed;
  }

  /** The variables of {@code hostEnvironment} that pass, in their original order. */
  public Map<String, String> filter(Map<String, String> hostEnvironment) {
    Map<String, String> passed = new LinkedHashMap<>();
    hostEnvironment.forEach(
        (name, value) -> {
          if (passes(name)) {
            passed.put(name, value);
          }
        });
    return passed;
  }

  @Override
  public String toString() {
    return (allowlist ? "allow only " : "deny ") + patterns;
  }

  private static boolean matches(String pattern, String name) {
    return pattern.endsWith("*")
        ? name.startsWith(pattern.substring(0, pattern.length() - 1))
        : name.equals(pattern);
  }

  private static void checkPattern(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    if (pattern.isEmpty()
        || pattern.indexOf('*') != pattern.length() - 1 && pattern.contains("*")) {
      throw new IllegalArgumentException(
          "environment pattern \""
              + pattern
              + "\" is not a variable name or a prefix ending in '*' (like AWS_*)");
    }
  }
}
