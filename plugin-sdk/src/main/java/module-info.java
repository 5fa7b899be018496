/**
 * The Compensa plugin SDK. Exports one package, {@code io.compensa.sdk}: the types a plugin author
 * writes against. The wire (go-plugin's launch protocol, the gRPC services, the generated protobuf
 * classes) stays inside the module.
 */
module io.compensa.sdk {
  exports io.compensa.sdk;

  requires io.compensa.proto;
  requires io.compensa.protocol;
  requires io.grpc;
  requires io.grpc.stub;
  requires io.grpc.protobuf;
  requires io.grpc.services;
  requires io.grpc.netty.shaded;
  requires com.google.protobuf;
  requires com.google.gson;
  requires org.slf4j;
  requires java.logging;
  requires jdk.unsupported;
  requires proto.google.common.protos;

  provides org.slf4j.spi.SLF4JServiceProvider with
      io.compensa.sdk.internal.logging.HclogServiceProvider;
}
