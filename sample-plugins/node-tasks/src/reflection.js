'use strict';
// gRPC server reflection (grpc.reflection.v1.ServerReflection, and its older name v1alpha), served
// from the descriptor set protoc made: every file goes out as the exact FileDescriptorProto bytes
// protoc wrote, with the files it imports, so a strict client (grpcurl, grpc-java's reflection
// client, `compensa conformance`) builds its descriptor pool from them as protoc would.

const grpc = require('@grpc/grpc-js');
const descriptor = require('protobufjs/ext/descriptor');
const contract = require('./contract');

/** Reads a base-128 varint at offset; returns [value, next offset]. */
function varint(buffer, offset) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buffer[offset++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, offset];
    shift += 7;
  }
}

/** The raw FileDescriptorProto bytes of a FileDescriptorSet (field 1, length-delimited, repeated). */
function splitFiles(set) {
  const files = [];
  let offset = 0;
  while (offset < set.length) {
    const [tag, afterTag] = varint(set, offset);
    const [length, start] = varint(set, afterTag);
    if (tag !== 0x0a) throw new Error(`unexpected field tag ${tag} in the descriptor set`);
    files.push(set.subarray(start, start + length));
    offset = start + length;
  }
  return files;
}

/** Indexes the files by name and by every symbol they define (messages, enums, services, methods). */
function index(set) {
  const byName = new Map();
  const bySymbol = new Map();
  for (const raw of splitFiles(set)) {
    const file = descriptor.FileDescriptorProto.decode(raw);
    byName.set(file.name, { raw, dependencies: file.dependency || [] });
    const prefix = file.package ? `${file.package}.` : '';
    const addMessages = (messages, scope) => {
      for (const message of messages || []) {
        const name = scope + message.name;
        bySymbol.set(name, file.name);
        addMessages(message.nestedType, `${name}.`);
        for (const nested of message.enumType || []) bySymbol.set(`${name}.${nested.name}`, file.name);
      }
    };
    addMessages(file.messageType, prefix);
    for (const item of file.enumType || []) bySymbol.set(prefix + item.name, file.name);
    for (const item of file.service || []) {
      const name = prefix + item.name;
      bySymbol.set(name, file.name);
      for (const method of item.method || []) bySymbol.set(`${name}.${method.name}`, file.name);
    }
  }
  return { byName, bySymbol };
}

/**
 * The reflection service handler for a server that serves {@code served} (fully qualified service
 * names, listed as they are). withImports: false sends each file alone (a broken fixture only).
 */
function reflectionHandler(served, { withImports = true } = {}) {
  const { byName, bySymbol } = index(contract.bytes);

  // the file and everything it imports, each once, the file itself first
  const withDependencies = (name) => {
    const out = [];
    const seen = new Set();
    const visit = (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      const entry = byName.get(file);
      if (!entry) return;
      out.push(entry.raw);
      if (withImports) entry.dependencies.forEach(visit);
    };
    visit(name);
    return out;
  };

  const answer = (request) => {
    const response = { valid_host: request.host, original_request: request };
    const notFound = (message) => {
      response.error_response = { error_code: grpc.status.NOT_FOUND, error_message: message };
      return response;
    };
    switch (request.message_request) {
      case 'list_services':
        response.list_services_response = { service: served.map((name) => ({ name })) };
        return response;
      case 'file_by_filename': {
        const name = request.file_by_filename;
        if (!byName.has(name)) return notFound(`no file named ${name}`);
        response.file_descriptor_response = { file_descriptor_proto: withDependencies(name) };
        return response;
      }
      case 'file_containing_symbol': {
        const symbol = request.file_containing_symbol.replace(/^\./, '');
        const file = bySymbol.get(symbol);
        if (!file) return notFound(`no symbol named ${symbol}`);
        response.file_descriptor_response = { file_descriptor_proto: withDependencies(file) };
        return response;
      }
      case 'file_containing_extension':
      case 'all_extension_numbers_of_type':
        return notFound('this plugin defines no extensions');
      default:
        response.error_response = {
          error_code: grpc.status.UNIMPLEMENTED,
          error_message: `unknown reflection request ${request.message_request}`,
        };
        return response;
    }
  };

  return {
    ServerReflectionInfo(call) {
      call.on('data', (request) => call.write(answer(request)));
      call.on('end', () => call.end());
      call.on('error', () => {}); // the client went away; nothing to clean up
    },
  };
}

module.exports = { reflectionHandler, splitFiles };
