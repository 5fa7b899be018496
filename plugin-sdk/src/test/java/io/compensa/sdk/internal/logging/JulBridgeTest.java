package io.compensa.sdk.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class JulBridgeTest {

  @Test
  void installingLeavesTheBridgeAsTheRootLoggersOnlyHandler() throws Exception {
    JulBridge.install();
    JulBridge.install();

    Logger root = LogManager.getLogManager().getLogger("");
    assertThat(root.getHandlers()).hasSize(1).allMatch(JulBridge.class::isInstance);
  }

  @Test
  void julIsToldToRunTheBridgesConfigurationUnlessTheOperatorConfiguredIt() throws Exception {
    JulBridge.install();

    String configured = System.getProperty(JulBridge.CONFIG_CLASS);
    if (System.getProperty(JulBridge.CONFIG_FILE) == null) {
      assertThat(configured).isEqualTo(JulBridge.Configuration.class.getName());
      // JUL makes it by reflection: a public class with a public no-argument constructor
      assertThat(Class.forName(configured).getConstructor().newInstance()).isNotNull();
    }
  }
}
