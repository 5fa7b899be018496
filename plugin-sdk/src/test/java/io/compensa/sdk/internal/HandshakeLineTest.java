package io.compensa.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HandshakeLineTest {

  @Test
  void formatsAUnixSocketAsGoPluginExpects() {
    assertThat(new HandshakeLine(1, "unix", "/tmp/plugin1/compensa-42.sock").format())
        .isEqualTo("1|1|unix|/tmp/plugin1/compensa-42.sock|grpc");
  }

  @Test
  void formatsATcpPortWithTheNegotiatedAppVersion() {
    assertThat(new HandshakeLine(3, "tcp", "127.0.0.1:10042").format())
        .isEqualTo("1|3|tcp|127.0.0.1:10042|grpc");
  }

  @Test
  void refusesAnAddressThatWouldBreakTheLine() {
    assertThatThrownBy(() -> new HandshakeLine(1, "unix", "/tmp/a|b.sock"))
        .hasMessageContaining("'|'");
    assertThatThrownBy(() -> new HandshakeLine(1, "udp", "127.0.0.1:1"))
        .hasMessageContaining("unix or tcp");
  }
}
