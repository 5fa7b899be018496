package io.compensa.sdk;

import com.google.rpc.Code;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DeleteResponse;
import io.compensa.proto.v1.DiffRequest;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.UpdateRequest;
import io.compensa.proto.v1.UpdateResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Map;

/**
 * Serves {@code compensa.v1.DriverService}: dispatches each call to the driver of the resource type
 * it names.
 *
 * <p>Thread-safe: the driver map is fixed at construction, and the drivers are thread-safe by
 * contract.
 */
final class DriverServiceHandler extends DriverServiceGrpc.DriverServiceImplBase {

  private final Map<String, ResourceDriver> drivers;

  /**
   * Creates the handler.
   *
   * @param drivers the driver of each resource type, by type name
   */
  public DriverServiceHandler(Map<String, ResourceDriver> drivers) {
    this.drivers = Map.copyOf(drivers);
  }

  @Override
  public void create(CreateRequest request, StreamObserver<CreateResponse> observer) {
    String what =
        describe("Create", request.getResource().getType(), request.getResource().getName());
    Responder.answer(
        what,
        observer,
        () -> {
          ResourceOutput output =
              driver(request.getResource().getType())
                  .create(request.getActionId(), ProtoConversion.spec(request.getResource()));
          if (output == null || output.providerId().isEmpty()) {
            throw DriverErrorStatus.sdk(
                Code.INTERNAL,
                what
                    + " returned no provider id: a driver's create must return the new resource's"
                    + " id (a plugin bug)");
          }
          return CreateResponse.newBuilder().setOutput(ProtoConversion.output(output)).build();
        });
  }

  @Override
  public void read(ReadRequest request, StreamObserver<ReadResponse> observer) {
    String what =
        describe("Read", request.getResource().getType(), request.getResource().getName());
    Responder.answer(
        what,
        observer,
        () ->
            ProtoConversion.readResponse(
                driver(request.getResource().getType())
                    .read(ProtoConversion.spec(request.getResource()), request.getProviderId())));
  }

  @Override
  public void update(UpdateRequest request, StreamObserver<UpdateResponse> observer) {
    String what =
        describe("Update", request.getResource().getType(), request.getResource().getName());
    Responder.answer(
        what,
        observer,
        () -> {
          ResourceOutput output =
              driver(request.getResource().getType())
                  .update(
                      request.getActionId(),
                      ProtoConversion.spec(request.getResource()),
                      ProtoConversion.state(request.getPrior()));
          return UpdateResponse.newBuilder().setOutput(ProtoConversion.output(output)).build();
        });
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<DeleteResponse> observer) {
    String what = describe("Delete", request.getState().getType(), request.getState().getName());
    Responder.answer(
        what,
        observer,
        () -> {
          driver(request.getState().getType())
              .delete(request.getActionId(), ProtoConversion.state(request.getState()));
          return DeleteResponse.getDefaultInstance();
        });
  }

  @Override
  public void diff(DiffRequest request, StreamObserver<DiffResponse> observer) {
    String what = describe("Diff", request.getDesired().getType(), request.getDesired().getName());
    Responder.answer(
        what,
        observer,
        () ->
            ProtoConversion.diffResponse(
                driver(request.getDesired().getType())
                    .diff(
                        ProtoConversion.spec(request.getDesired()),
                        ProtoConversion.state(request.getPrior()))));
  }

  private ResourceDriver driver(String type) {
    ResourceDriver driver = drivers.get(type);
    if (driver == null) {
      throw unknownType(type);
    }
    return driver;
  }

  private StatusRuntimeException unknownType(String type) {
    return DriverErrorStatus.sdk(
        Code.INVALID_ARGUMENT,
        "unknown resource type \""
            + type
            + "\": this plugin drives "
            + drivers.keySet().stream().sorted().toList()
            + "; check the resource's type or the plugin it is routed to");
  }

  private static String describe(String call, String type, String name) {
    return call + " of " + type + " \"" + name + "\"";
  }
}
