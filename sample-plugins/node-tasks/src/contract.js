'use strict';
// The contract, loaded from gen/contract.pb: the descriptor set build.sh compiles from proto/ and
// proto/third_party/ with protoc. @grpc/proto-loader turns it into service definitions for
// @grpc/grpc-js; protobufjs encodes the messages that travel outside a call (google.rpc.Status in
// the error trailer). Also converts google.protobuf.Struct to and from plain objects.

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');
const descriptor = require('protobufjs/ext/descriptor');

const DESCRIPTOR_SET = path.join(__dirname, '..', 'gen', 'contract.pb');

function readDescriptorSet() {
  try {
    return fs.readFileSync(DESCRIPTOR_SET);
  } catch (error) {
    throw new Error(`cannot read ${DESCRIPTOR_SET} (${error.code}): run sample-plugins/node-tasks/build.sh first`);
  }
}

const bytes = readDescriptorSet();

// field names as in the .proto files (action_id), enums as their names, every field present
const definition = protoLoader.loadFileDescriptorSetFromBuffer(bytes, {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const loaded = grpc.loadPackageDefinition(definition);
const root = protobuf.Root.fromDescriptor(descriptor.FileDescriptorSet.decode(bytes));

/** The service definition of a fully qualified service name, e.g. "compensa.v1.DriverService". */
function service(name) {
  const found = name.split('.').reduce((node, part) => (node ? node[part] : undefined), loaded);
  if (!found || !found.service) {
    throw new Error(`service ${name} is not in ${DESCRIPTOR_SET}: rebuild with build.sh`);
  }
  return found.service;
}

/** A plain value from a google.protobuf.Value as proto-loader gives it. */
function fromValue(value) {
  if (!value) return null;
  // proto-loader names the set member in "kind"; a value built here has only that member
  const kind =
    value.kind ||
    ['null_value', 'number_value', 'string_value', 'bool_value', 'struct_value', 'list_value'].find(
      (member) => value[member] !== undefined,
    );
  switch (kind) {
    case 'null_value':
      return null;
    case 'number_value':
      return value.number_value;
    case 'string_value':
      return value.string_value;
    case 'bool_value':
      return value.bool_value;
    case 'struct_value':
      return fromStruct(value.struct_value);
    case 'list_value':
      return (value.list_value.values || []).map(fromValue);
    default:
      return null;
  }
}

// Loaded from a descriptor set, a map field such as Struct.fields is what the descriptor says it is
// on the wire: a repeated FieldsEntry message, [{key, value}], not an object.

/** A plain object from a google.protobuf.Struct; {} for an absent one. */
function fromStruct(struct) {
  const result = {};
  for (const entry of (struct && struct.fields) || []) {
    result[entry.key] = fromValue(entry.value);
  }
  return result;
}

function toValue(value) {
  if (value === null || value === undefined) return { null_value: 'NULL_VALUE' };
  if (typeof value === 'number') return { number_value: value };
  if (typeof value === 'string') return { string_value: value };
  if (typeof value === 'boolean') return { bool_value: value };
  if (Array.isArray(value)) return { list_value: { values: value.map(toValue) } };
  return { struct_value: toStruct(value) };
}

/** A google.protobuf.Struct from a plain object. */
function toStruct(object) {
  return { fields: Object.entries(object).map(([key, value]) => ({ key, value: toValue(value) })) };
}

/**
 * A gRPC error that carries a compensa.v1.DriverError: the status code and message as usual, and
 * in the grpc-status-details-bin trailer a google.rpc.Status whose details hold the DriverError as
 * an Any (type URL type.googleapis.com/compensa.v1.DriverError), as docs/protocol.md says.
 *
 * @param {number} code a grpc.status code
 * @param {string} message what failed, for an operator
 * @param {object} [extra] retryable, partial_output, rolled_back
 */
function driverError(code, message, extra = {}) {
  const DriverError = root.lookupType('compensa.v1.DriverError');
  const Status = root.lookupType('google.rpc.Status');
  const detail = DriverError.encode(DriverError.fromObject({ message, ...extra })).finish();
  const status = Status.encode(
    Status.fromObject({
      code,
      message,
      details: [{ type_url: 'type.googleapis.com/compensa.v1.DriverError', value: detail }],
    }),
  ).finish();
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status));
  const error = new Error(message);
  error.code = code;
  error.details = message;
  error.metadata = metadata;
  error.driverError = true;
  return error;
}

module.exports = { bytes, service, fromStruct, toStruct, driverError, DESCRIPTOR_SET };
