package ${package};

import io.compensa.sdk.testkit.PluginConformance;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin launched as a real process and put through Compensa's conformance suite by the real
 * host: handshake, health, describe, create/read/update/delete of the sample configurations,
 * idempotency, the compensation each type declares, shutdown. A few seconds.
 */
class ConformanceTest {

  @TempDir Path root;

  @Test
  void thePluginPassesTheConformanceSuite() {
    PluginConformance.assertConforms(
        PluginConformance.javaCommand(Main.class), "{\"root\": \"" + root + "\"}");
  }
}
