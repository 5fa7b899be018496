package io.compensa.interop;

import static io.compensa.interop.Interop.struct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLaunchException;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.protocol.SelfSignedCertificate;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextChannelCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * go-plugin's AutoMTLS between real processes: the Java host with the Java localfs plugin and the
 * Go plugin (go-kv), and a stranger without the pinned certificate refused. The Go host's side is
 * in {@link GoHostRunsJavaPluginTest}.
 */
@DisplayName("AutoMTLS: each side pins the other's certificate")
class AutoMtlsTest {
  @TempDir Path root;
  private LaunchedPlugin plugin;

  @AfterEach
  void close() {
    if (plugin != null) {
      plugin.close();
    }
  }

  private LaunchedPlugin launchLocalfs(LaunchOptions.Builder options) {
    Interop.require(
        Interop.LOCALFS_JAR,
        false,
        "the localfs plugin's jar",
        "interop/build.sh java (or mvn -pl sample-plugins/localfs -am package)");
    plugin =
        new PluginLauncher().launch(options.pluginConfigJson(Interop.rootConfig(root)).build());
    return plugin;
  }

  private static LaunchOptions.Builder localfs() {
    return LaunchOptions.builder(List.of(Interop.LOCALFS_PLUGIN.toString()));
  }

  private static ResourceSpec file(String path, String content) {
    return ResourceSpec.newBuilder()
        .setName(path)
        .setType("localfs_file")
        .setConfig(struct(Map.of("path", path, "content", content, "mode", "0644")))
        .build();
  }

  @Test
  void javaHostAndJavaPluginUseAutoMtlsOverTcpByDefault() {
    LaunchedPlugin launched = launchLocalfs(localfs().transport(LaunchOptions.Transport.TCP));

    assertThat(launched.handshake().network()).isEqualTo("tcp");
    assertThat(launched.handshake().autoMtls()).as("the handshake carries a certificate").isTrue();
    assertThat(launched.handshake().x509Certificate().getSubjectX500Principal().getName())
        .contains("CN=localhost");
    launched
        .client()
        .create(
            CreateRequest.newBuilder()
                .setActionId("mtls-1")
                .setResource(file("a.txt", "over TLS"))
                .build());
    assertThat(root.resolve("a.txt")).hasContent("over TLS");
  }

  @Test
  void overAUnixSocketAutoMtlsIsOffByDefaultAndOnWhenAskedFor() {
    LaunchedPlugin plain = launchLocalfs(localfs());
    assertThat(plain.handshake().autoMtls()).isFalse();
    plain.close();

    LaunchedPlugin secured = launchLocalfs(localfs().autoMtls(LaunchOptions.AutoMtls.ALWAYS));
    assertThat(secured.handshake().network()).isEqualTo("unix");
    assertThat(secured.handshake().autoMtls()).isTrue();
    assertThat(
            secured
                .client()
                .read(ReadRequest.newBuilder().setResource(file("none", "")).build())
                .getExists())
        .isFalse();
  }

  @Test
  void aClientWithoutTheHostsCertificateIsRefusedByThePlugin() throws Exception {
    LaunchedPlugin launched = launchLocalfs(localfs().transport(LaunchOptions.Transport.TCP));
    String address = launched.handshake().address();
    String pluginPem = pem(launched.handshake().x509Certificate().getEncoded());
    SelfSignedCertificate stranger = SelfSignedCertificate.generate();

    ChannelCredentials plaintext = InsecureChannelCredentials.create();
    ChannelCredentials noClientCertificate = tls(SslContextBuilder.forClient(), pluginPem);
    ChannelCredentials anotherCertificate =
        tls(
            SslContextBuilder.forClient()
                .keyManager(stream(stranger.certificatePem()), stream(stranger.privateKeyPem())),
            pluginPem);

    for (ChannelCredentials credentials :
        List.of(plaintext, noClientCertificate, anotherCertificate)) {
      assertThatThrownBy(() -> healthCheck(address, credentials))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("UNAVAILABLE");
    }
    launched.checkHealth(); // the host itself, with the pinned certificate, still gets in
  }

  @Test
  void aPluginThatAnswersWithoutACertificateWhenAskedForAutoMtlsIsRefusedWithTheReason()
      throws Exception {
    Path plugin = root.resolve("no-mtls-plugin");
    Files.writeString(plugin, "#!/bin/sh\necho '1|1|tcp|127.0.0.1:1|grpc'\nexec sleep 60\n");
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));

    assertThatThrownBy(
            () ->
                new PluginLauncher()
                    .launch(
                        LaunchOptions.builder(List.of(plugin.toString()))
                            .transport(LaunchOptions.Transport.TCP)
                            .build()))
        .isInstanceOf(PluginLaunchException.class)
        .hasMessageContaining("asked for AutoMTLS")
        .hasMessageContaining("no certificate field")
        .hasMessageContaining("autoMtls(NEVER)");
  }

  @Test
  void javaHostAndGoPluginUseAutoMtlsOverTheUnixSocketGoPluginAlwaysUses() {
    Interop.requireGoPlugin();
    plugin =
        new PluginLauncher()
            .launch(
                LaunchOptions.builder(List.of(Interop.GO_PLUGIN.toString()))
                    .pluginConfigJson(Interop.rootConfig(root))
                    .autoMtls(LaunchOptions.AutoMtls.ALWAYS)
                    .build());

    assertThat(plugin.handshake().network()).isEqualTo("unix");
    assertThat(plugin.handshake().autoMtls()).isTrue();
    ResourceSpec entry =
        ResourceSpec.newBuilder()
            .setName("entry")
            .setType("gokv_entry")
            .setConfig(struct(Map.of("key", "greeting", "value", "over TLS")))
            .build();
    plugin
        .client()
        .create(CreateRequest.newBuilder().setActionId("mtls-go").setResource(entry).build());
    assertThat(root.resolve("greeting")).hasContent("over TLS");
  }

  private static void healthCheck(String address, ChannelCredentials credentials)
      throws InterruptedException {
    ManagedChannel channel =
        Grpc.newChannelBuilder("dns:///" + address, credentials)
            .overrideAuthority("localhost")
            .build();
    try {
      HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService("plugin").build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ChannelCredentials tls(SslContextBuilder builder, String trustedPem)
      throws Exception {
    return NettySslContextChannelCredentials.create(
        GrpcSslContexts.configure(builder, SslProvider.JDK)
            .trustManager(stream(trustedPem))
            .build());
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
