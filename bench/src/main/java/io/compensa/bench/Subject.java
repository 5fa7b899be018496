package io.compensa.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * A sample plugin the suite measures: its launcher, a resource type whose Read the suite calls (for
 * a provider id that does not exist, so the call does the driver's lookup and nothing else), and
 * whether it can listen on TCP.
 */
record Subject(
    String name, Path executable, String type, String configKey, String configFile, boolean tcp) {

  /**
   * The five samples, Java first, and localfs's native executable (the opt-in packaging {@code
   * -Dcompensa.plugin.native=true}; skipped by the suite unless it was built).
   */
  static List<Subject> samples(Path repo) {
    return List.of(
        new Subject(
            "java localfs",
            repo.resolve("sample-plugins/localfs/bin/compensa-localfs"),
            "localfs_file",
            "root",
            "",
            true),
        new Subject(
            "native localfs",
            repo.resolve("sample-plugins/localfs/target/compensa-localfs-image-launcher"),
            "localfs_file",
            "root",
            "",
            true),
        new Subject(
            "java credentials",
            repo.resolve("sample-plugins/credentials/bin/compensa-credentials"),
            "cred_rule_set",
            "cloud",
            "cloud.json",
            true),
        // go-plugin plugins listen only on Unix sockets on Linux
        new Subject(
            "go go-kv",
            repo.resolve("sample-plugins/go-kv/bin/compensa-go-kv"),
            "gokv_entry",
            "root",
            "",
            false),
        new Subject(
            "python python-notes",
            repo.resolve("sample-plugins/python-notes/bin/compensa-python-notes"),
            "pynotes_note",
            "root",
            "",
            true),
        new Subject(
            "node node-tasks",
            repo.resolve("sample-plugins/node-tasks/bin/compensa-node-tasks"),
            "nodetasks_task",
            "root",
            "",
            true));
  }

  /** The plugin's COMPENSA_PLUGIN_CONFIG for a scratch directory. */
  String configJson(Path scratch) {
    Path value = configFile.isEmpty() ? scratch : scratch.resolve(configFile);
    return "{\"" + configKey + "\": \"" + value + "\"}";
  }
}
