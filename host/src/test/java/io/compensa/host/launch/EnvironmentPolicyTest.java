package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentPolicyTest {
  private static final Map<String, String> HOST =
      Map.of("PATH", "/bin", "HOME", "/root", "AWS_SECRET_ACCESS_KEY", "s3cr3t", "AWS_REGION", "x");

  @Test
  void aDenylistWithholdsTheListedVariablesAndPrefixes() {
    assertThat(EnvironmentPolicy.deny(List.of("AWS_*", "HOME")).filter(HOST))
        .containsOnlyKeys("PATH");
  }

  @Test
  void anAllowlistPassesOnlyTheListedVariables() {
    assertThat(EnvironmentPolicy.allowOnly(List.of("PATH", "AWS_REGION")).filter(HOST))
        .containsOnlyKeys("PATH", "AWS_REGION");
  }

  @Test
  void inheritAllPassesEverything() {
    assertThat(EnvironmentPolicy.inheritAll().filter(HOST)).isEqualTo(HOST);
  }

  @Test
  void aStarInsideAPatternIsRefused() {
    assertThatThrownBy(() -> EnvironmentPolicy.deny(List.of("A*B")))
        .hasMessageContaining("\"A*B\"")
        .hasMessageContaining("prefix ending in '*'");
  }
}
