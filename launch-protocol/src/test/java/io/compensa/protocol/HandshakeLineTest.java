package io.compensa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeLineTest {
  private static final List<Integer> ACCEPTED = List.of(1);

  @Test
  void parsesAUnixSocketHandshake() {
    HandshakeLine line = HandshakeLine.parse("1|1|unix|/tmp/cpa1/plugin.sock|grpc\n", ACCEPTED);

    assertThat(line).isEqualTo(new HandshakeLine(1, "unix", "/tmp/cpa1/plugin.sock"));
    assertThat(line.target()).isEqualTo("unix:///tmp/cpa1/plugin.sock");
  }

  @Test
  void parsesATcpHandshakeWithAnEmptyCertificateField() {
    HandshakeLine line = HandshakeLine.parse("1|2|tcp|127.0.0.1:10001|grpc|", List.of(1, 2));

    assertThat(line).isEqualTo(new HandshakeLine(2, "tcp", "127.0.0.1:10001"));
    assertThat(line.target()).isEqualTo("127.0.0.1:10001");
  }

  @Test
  void tooFewFieldsAreMalformedAndTheErrorQuotesTheLineAndTheFormat() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|unix", ACCEPTED))
        .hasMessageContaining("malformed handshake line \"1|1|unix\"")
        .hasMessageContaining("3 fields")
        .hasMessageContaining("CORE|APP|NETWORK|ADDRESS|grpc");
  }

  @Test
  void aLineBreakInTheAddressIsMalformedAndTheErrorQuotesTheLine() {
    // found by fuzzing (reliability/, HandshakeFuzzTest): the error did not name the handshake
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|unix|/tmp/a\nb|grpc", ACCEPTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed handshake line \"1|1|unix|/tmp/a\nb|grpc\"")
        .hasMessageContaining("has a line break in its ADDRESS");
  }

  @Test
  void aNonNumericVersionIsMalformed() {
    assertThatThrownBy(() -> HandshakeLine.parse("one|1|unix|/x|grpc", ACCEPTED))
        .hasMessageContaining("malformed handshake line \"one|1|unix|/x|grpc\"")
        .hasMessageContaining("CORE \"one\", which is not a number");
  }

  @Test
  void anotherCoreVersionIsIncompatible() {
    assertThatThrownBy(() -> HandshakeLine.parse("2|1|unix|/x|grpc", ACCEPTED))
        .hasMessageContaining("incompatible core protocol version 2, expected 1")
        .hasMessageContaining("built for another version of the protocol");
  }

  @Test
  void anAppVersionTheHostDoesNotAcceptNamesBoth() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|5|unix|/x|grpc", List.of(1, 2)))
        .hasMessageContaining("application protocol version 5")
        .hasMessageContaining("accepts only [1, 2]");
  }

  @Test
  void netrpcIsRefusedAsAProtocolCompensaDoesNotSpeak() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|tcp|127.0.0.1:1234|netrpc", ACCEPTED))
        .hasMessageContaining("netrpc")
        .hasMessageContaining("speaks only grpc");
  }

  @Test
  void aHandshakeWithoutAProtocolIsNetrpcAsGoPluginReadsIt() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|tcp|127.0.0.1:1234", ACCEPTED))
        .hasMessageContaining("names no protocol")
        .hasMessageContaining("netrpc");
  }

  @Test
  void anUnknownNetworkIsMalformed() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|udp|127.0.0.1:1234|grpc", ACCEPTED))
        .hasMessageContaining("network \"udp\" where unix or tcp is expected");
  }

  @Test
  void aCertificateIsRefusedBecauseTheHostDidNotAskForAutoMtls() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|tcp|127.0.0.1:1234|grpc|MIIBcert", ACCEPTED))
        .hasMessageContaining("AutoMTLS");
  }

  // the plugin side: the line the SDK prints

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

  // both sides at once: one implementation of the line

  @Test
  void aLineThePluginFormatsIsTheLineTheHostParsesWithAndWithoutACertificate() throws Exception {
    HandshakeLine plain = new HandshakeLine(2, "unix", "/tmp/cpa9/plugin.sock");
    assertThat(HandshakeLine.parse(plain.format() + "\n", List.of(1, 2))).isEqualTo(plain);

    SelfSignedCertificate own = SelfSignedCertificate.generate();
    HandshakeLine mtls = new HandshakeLine(1, "tcp", "127.0.0.1:10001", own.handshakeField());
    HandshakeLine parsed = HandshakeLine.parse(mtls.format(), ACCEPTED, true);
    assertThat(parsed).isEqualTo(mtls);
    assertThat(parsed.autoMtls()).isTrue();
    assertThat(parsed.x509Certificate().getEncoded()).isEqualTo(own.der());
    assertThat(parsed.x509Certificate().getSubjectX500Principal().getName())
        .contains("CN=localhost");
  }

  @Test
  void aCertificateFieldThatIsNotACertificateIsMalformed() {
    assertThatThrownBy(
            () -> HandshakeLine.parse("1|1|tcp|127.0.0.1:1234|grpc|bm90IGEgY2VydA", ACCEPTED, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a base64 DER X.509 certificate");
  }
}
