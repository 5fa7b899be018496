package io.compensa.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenAddressTest {

  @TempDir Path dir;

  @Test
  void aSocketDirectoryMeansAUnixSocketInIt() throws Exception {
    ListenAddress address =
        ListenAddress.fromEnvironment(Map.of("PLUGIN_UNIX_SOCKET_DIR", dir.toString()));

    assertThat(address)
        .isInstanceOfSatisfying(
            ListenAddress.Unix.class,
            unix -> assertThat(unix.socket().getParent()).isEqualTo(dir.toAbsolutePath()));
  }

  @Test
  void withoutOneItIsTcpInGoPluginsDefaultRange() throws Exception {
    assertThat(ListenAddress.fromEnvironment(Map.of()))
        .isEqualTo(new ListenAddress.Tcp(10000, 25000));
    assertThat(
            ListenAddress.fromEnvironment(
                Map.of("PLUGIN_MIN_PORT", "2000", "PLUGIN_MAX_PORT", "2010")))
        .isEqualTo(new ListenAddress.Tcp(2000, 2010));
  }

  @Test
  void aSocketPathLongerThanLinuxAllowsIsRefusedWithAFix() throws Exception {
    Path deep = Files.createDirectories(dir.resolve("d".repeat(100)));

    assertThatThrownBy(
            () -> ListenAddress.fromEnvironment(Map.of("PLUGIN_UNIX_SOCKET_DIR", deep.toString())))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("longer than the 107")
        .hasMessageContaining("PLUGIN_UNIX_SOCKET_DIR");
  }

  @Test
  void badPortsAreRefusedNamingTheVariable() {
    assertThatThrownBy(() -> ListenAddress.fromEnvironment(Map.of("PLUGIN_MIN_PORT", "ten")))
        .hasMessageContaining("PLUGIN_MIN_PORT");
    assertThatThrownBy(
            () ->
                ListenAddress.fromEnvironment(
                    Map.of("PLUGIN_MIN_PORT", "3000", "PLUGIN_MAX_PORT", "2000")))
        .hasMessageContaining("above");
  }
}
