package io.compensa.host.conformance;

import static io.compensa.host.conformance.CheckFailed.expect;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.PluginCapability;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Server reflection ({@code grpc.reflection.v1.ServerReflection}, or its older name {@code v1alpha}
 * when v1 is not served, as grpcurl falls back), as a strict client uses it: the listed services
 * include every one the contract requires of this plugin, and for each listed service the file that
 * defines it, with every file it imports (transitively), is served and builds into a descriptor
 * pool with protobuf's own validation (no unresolved import, no unknown type, the service really in
 * its file). Not thread-safe.
 */
final class ReflectionCheck {
  private static final long ANSWER_SECONDS = 10;

  private ReflectionCheck() {}

  static void run(Channel channel, Manifest manifest, CheckLog log) {
    try {
      log.pass("reflection", null, check(channel, manifest));
    } catch (CheckFailed failed) {
      log.fail("reflection", null, failed.getMessage());
    }
  }

  private static String check(Channel channel, Manifest manifest) throws CheckFailed {
    ServerReflectionRequest list =
        ServerReflectionRequest.newBuilder().setListServices("*").build();
    Session session = new Session(channel, V1);
    ServerReflectionResponse listed;
    try {
      listed = session.ask(list);
    } catch (Unimplemented e) {
      // as grpcurl does: a server without v1 may serve the same messages under the older name
      session.close();
      session = new Session(channel, V1ALPHA);
      listed = session.ask(list);
    }
    try {
      TreeSet<String> services = new TreeSet<>();
      for (ServiceResponse service : listed.getListServicesResponse().getServiceList()) {
        services.add(service.getName());
      }
      TreeSet<String> missing = new TreeSet<>(required(manifest));
      missing.removeAll(services);
      expect(
          missing.isEmpty(),
          "reflection does not list " + missing + " (it lists " + services + ")");

      Map<String, FileDescriptorProto> served = new LinkedHashMap<>();
      Map<String, String> fileOf = new HashMap<>();
      for (String service : services) {
        ServerReflectionResponse answer =
            session.ask(
                ServerReflectionRequest.newBuilder().setFileContainingSymbol(service).build());
        expect(
            answer.hasFileDescriptorResponse(),
            "asked for the file of "
                + service
                + ", reflection answered "
                + (answer.hasErrorResponse()
                    ? answer.getErrorResponse().getErrorMessage()
                    : answer.getMessageResponseCase()));
        List<ByteString> files = answer.getFileDescriptorResponse().getFileDescriptorProtoList();
        expect(!files.isEmpty(), "asked for the file of " + service + ", reflection sent none");
        for (ByteString bytes : files) {
          FileDescriptorProto file = parse(bytes, service);
          served.putIfAbsent(file.getName(), file);
        }
        fileOf.put(service, parse(files.get(0), service).getName());
      }
      Map<String, FileDescriptor> pool = new HashMap<>();
      for (String service : services) {
        FileDescriptor file = build(fileOf.get(service), served, pool, new ArrayList<>());
        String simple = service.substring(service.lastIndexOf('.') + 1);
        expect(
            file.findServiceByName(simple) != null
                && file.getPackage()
                    .equals(
                        service.contains(".")
                            ? service.substring(0, service.lastIndexOf('.'))
                            : ""),
            "reflection sent "
                + file.getName()
                + " as the file of "
                + service
                + ", which does not define it");
      }
      return session.service
          + ": "
          + services.size()
          + " services listed; "
          + served.size()
          + " files served, each with its imports, build into a strict descriptor pool";
    } finally {
      session.close();
    }
  }

  /** The services docs/protocol.md requires of this plugin. */
  private static List<String> required(Manifest manifest) {
    List<String> required =
        new ArrayList<>(
            List.of(
                "grpc.health.v1.Health",
                "plugin.GRPCController",
                "compensa.v1.PluginService",
                "compensa.v1.DriverService"));
    if (manifest.getCapabilitiesList().contains(PluginCapability.PLUGIN_CAPABILITY_COMPENSABLE)) {
      required.add("compensa.v1.CompensableService");
    }
    if (manifest.getCapabilitiesList().contains(PluginCapability.PLUGIN_CAPABILITY_FINALIZER)) {
      required.add("compensa.v1.FinalizerService");
    }
    return required;
  }

  private static FileDescriptorProto parse(ByteString bytes, String service) throws CheckFailed {
    try {
      return FileDescriptorProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CheckFailed(
          "a file reflection sent for "
              + service
              + " is not a FileDescriptorProto: "
              + e.getMessage());
    }
  }

  /** Builds {@code name} and its imports from what was served, each once, strictly. */
  private static FileDescriptor build(
      String name,
      Map<String, FileDescriptorProto> served,
      Map<String, FileDescriptor> pool,
      List<String> path)
      throws CheckFailed {
    FileDescriptor built = pool.get(name);
    if (built != null) {
      return built;
    }
    expect(!path.contains(name), "the served files import each other in a cycle: " + path);
    FileDescriptorProto proto = served.get(name);
    expect(
        proto != null,
        (path.isEmpty() ? "" : path.get(path.size() - 1) + " imports ")
            + name
            + ", which reflection never sent: serve every file with the files it imports");
    path.add(name);
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String dependency : proto.getDependencyList()) {
      dependencies.add(build(dependency, served, pool, path));
    }
    path.remove(path.size() - 1);
    try {
      built = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
    } catch (DescriptorValidationException e) {
      throw new CheckFailed(
          "reflection sent "
              + name
              + ", which does not build into a descriptor pool: "
              + e.getMessage());
    }
    pool.put(name, built);
    return built;
  }

  private static final String V1 = "grpc.reflection.v1.ServerReflection";
  private static final String V1ALPHA = "grpc.reflection.v1alpha.ServerReflection";

  /** The service is not served under the name asked for. */
  private static final class Unimplemented extends CheckFailed {
    private static final long serialVersionUID = 1L;

    Unimplemented(String message) {
      super(message);
    }
  }

  /**
   * One reflection stream: a request, then its answer, within a deadline. v1 and v1alpha carry the
   * same messages, so both are asked with v1's types.
   */
  private static final class Session {
    private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    private final StreamObserver<ServerReflectionRequest> requests;
    final String service;

    Session(Channel channel, String service) {
      this.service = service;
      MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> method =
          ServerReflectionGrpc.getServerReflectionInfoMethod().toBuilder()
              .setFullMethodName(
                  MethodDescriptor.generateFullMethodName(service, "ServerReflectionInfo"))
              .build();
      requests =
          ClientCalls.asyncBidiStreamingCall(
              channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS)),
              new StreamObserver<>() {
                @Override
                public void onNext(ServerReflectionResponse value) {
                  answers.add(value);
                }

                @Override
                public void onError(Throwable t) {
                  answers.add(t);
                }

                @Override
                public void onCompleted() {
                  answers.add("the stream ended");
                }
              });
    }

    ServerReflectionResponse ask(ServerReflectionRequest request) throws CheckFailed {
      requests.onNext(request);
      Object answer;
      try {
        answer = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CheckFailed("interrupted while waiting for reflection");
      }
      if (answer == null) {
        throw new CheckFailed("no answer from " + service + " within " + ANSWER_SECONDS + " s");
      }
      if (answer instanceof StatusRuntimeException e
          && e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        throw new Unimplemented(
            "neither "
                + V1
                + " nor "
                + V1ALPHA
                + " is served ("
                + e.getStatus().getDescription()
                + "): serve server reflection; docs/protocol.md lists it as required");
      }
      if (answer instanceof StatusRuntimeException e) {
        throw new CheckFailed(
            service
                + " failed with "
                + e.getStatus().getCode()
                + (e.getStatus().getDescription() == null
                    ? ""
                    : ": " + e.getStatus().getDescription())
                + " (serve server reflection; docs/protocol.md lists it as required)");
      }
      if (answer instanceof Throwable t) {
        throw new CheckFailed(service + " failed: " + t);
      }
      if (answer instanceof String ended) {
        throw new CheckFailed(service + ": " + ended + " before answering");
      }
      return (ServerReflectionResponse) answer;
    }

    void close() {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // the stream already failed; nothing to close
      }
    }
  }
}
