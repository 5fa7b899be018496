'use strict';
// The services node-tasks serves: compensa.v1 PluginService, DriverService and CompensableService,
// grpc.health.v1.Health, and go-plugin's plugin.GRPCController and plugin.GRPCStdio.

const grpc = require('@grpc/grpc-js');
const { fromStruct, toStruct, driverError } = require('./contract');
const { DriverFailure } = require('./failure');
const { TYPES, typeNamed, ID_PATTERN, invalid } = require('./types');
const { log } = require('./log');

const NAME = 'node-tasks';
const VERSION = '0.1.0';

/** A unary handler that answers fn(request), or the failure it throws as a DriverError status. */
function unary(callName, fn) {
  return (call, callback) => {
    try {
      callback(null, fn(call.request));
    } catch (error) {
      callback(asStatus(callName, error));
    }
  };
}

function asStatus(callName, error) {
  let failure = error;
  if (!(error instanceof DriverFailure)) {
    // the disk said no: a later attempt may work, except for a file that is not JSON
    failure = error.damaged
      ? new DriverFailure(grpc.status.DATA_LOSS, error.message)
      : new DriverFailure(grpc.status.UNAVAILABLE, `${callName}: ${error.message}`, { retryable: true });
  }
  log(failure.retryable ? 'warn' : 'error', 'call failed', { call: callName, error: failure.message });
  return driverError(failure.code, failure.message, { retryable: failure.retryable });
}

function pluginService() {
  return {
    Describe: unary('Describe', () => ({
      manifest: {
        name: NAME,
        version: VERSION,
        contract_version: 'v1',
        resource_types: [...TYPES.values()].map((type) => ({
          name: type.name,
          description: type.description,
          operations: ['OPERATION_CREATE', 'OPERATION_READ', 'OPERATION_UPDATE', 'OPERATION_DELETE', 'OPERATION_DIFF'],
          compensation: { create: type.policy, update: type.policy, delete: type.policy },
          sample_configs: type.samples.map(toStruct),
        })),
        capabilities: ['PLUGIN_CAPABILITY_COMPENSABLE'],
      },
    })),
  };
}

/**
 * The driver. storeOf() returns the store, or throws FAILED_PRECONDITION when the plugin was
 * started without its configuration (it still answers Describe then).
 */
function driverService(storeOf) {
  const output = (store, type, id, value) => ({
    provider_id: id,
    outputs: toStruct({ ...value, path: store.path(type.name, id) }),
  });

  // the id a recorded resource has: its provider id, else the one its config names
  const recordedId = (type, providerId, config) => {
    if (providerId) {
      if (!ID_PATTERN.test(providerId)) throw invalid(`provider id ${JSON.stringify(providerId)} is not one node-tasks made`);
      return providerId;
    }
    return type.parse(fromStruct(config)).id;
  };

  return {
    Create: unary('Create', (request) => {
      const type = typeNamed(request.resource.type);
      const { id, value } = type.parse(fromStruct(request.resource.config));
      const store = storeOf();
      const existing = store.load(type.name, id);
      if (existing !== null) {
        if (store.createdBy(type.name, request.action_id, id)) {
          log('info', 'create repeated: returning what this action created', { type: type.name, id, action: request.action_id });
          return { output: output(store, type, id, existing) };
        }
        throw new DriverFailure(
          grpc.status.ALREADY_EXISTS,
          `${type.name} ${JSON.stringify(id)} already exists and action ${JSON.stringify(request.action_id)} did not create it: delete it or choose another name`,
        );
      }
      // the ledger first: a crash between the two leaves a retry that finishes the creation
      store.recordCreation(type.name, request.action_id, id);
      store.save(type.name, id, value);
      log('info', 'created', { type: type.name, id, action: request.action_id });
      return { output: output(store, type, id, value) };
    }),

    Read: unary('Read', (request) => {
      const type = typeNamed(request.resource.type);
      const id = recordedId(type, request.provider_id, request.resource.config);
      const store = storeOf();
      const value = store.load(type.name, id);
      if (value === null) return { exists: false };
      return { exists: true, output: output(store, type, id, value), observed_config: toStruct(value) };
    }),

    Update: unary('Update', (request) => {
      const type = typeNamed(request.resource.type);
      const { id, value } = type.parse(fromStruct(request.resource.config));
      const prior = request.prior;
      if (prior && ((prior.output && prior.output.provider_id) || prior.config)) {
        const priorId = recordedId(type, prior.output && prior.output.provider_id, prior.config);
        if (priorId !== id) {
          throw invalid(`${type.name} ${JSON.stringify(priorId)} cannot become ${JSON.stringify(id)} in place: replace it`);
        }
      }
      const store = storeOf();
      if (store.load(type.name, id) === null) {
        throw new DriverFailure(grpc.status.NOT_FOUND, `${type.name} ${JSON.stringify(id)} does not exist: create it first`);
      }
      store.save(type.name, id, value);
      log('info', 'updated', { type: type.name, id, action: request.action_id });
      return { output: output(store, type, id, value) };
    }),

    Delete: unary('Delete', (request) => {
      const state = request.state;
      const type = typeNamed(state.type);
      const id = recordedId(type, state.output && state.output.provider_id, state.config);
      storeOf().remove(type.name, id);
      log('info', 'deleted', { type: type.name, id, action: request.action_id });
      return {};
    }),

    Diff: unary('Diff', (request) => {
      const type = typeNamed(request.desired.type);
      const desired = type.parse(fromStruct(request.desired.config));
      if (!request.prior || !request.prior.config) {
        return { change: 'CHANGE_REPLACE', replace_keys: type.replaceKeys };
      }
      const prior = type.parse(fromStruct(request.prior.config));
      if (prior.id !== desired.id) return { change: 'CHANGE_REPLACE', replace_keys: type.replaceKeys };
      const changed = Object.keys({ ...prior.value, ...desired.value })
        .filter((key) => JSON.stringify(prior.value[key]) !== JSON.stringify(desired.value[key]))
        .sort();
      return changed.length ? { change: 'CHANGE_UPDATE', changed_keys: changed } : { change: 'CHANGE_NONE' };
    }),
  };
}

/** Undoes an action on a nodetasks_label its own way (the type's policy is PLUGIN). */
function compensableService(storeOf) {
  const failed = (detail) => ({ status: 'ACTION_STATUS_COMPENSATION_FAILED', detail });
  return {
    Compensate: (call, callback) => {
      const request = call.request;
      const action = request.action;
      let answer;
      try {
        const type = typeNamed(action.resource.type);
        if (type.policy !== 'COMPENSATION_POLICY_PLUGIN') {
          answer = failed(`${type.name} is undone by the host (HOST_INVERSE); node-tasks compensates only nodetasks_label`);
        } else {
          answer = compensate(storeOf(), type, request);
        }
      } catch (error) {
        answer = failed(error.message);
      }
      log(answer.status === 'ACTION_STATUS_COMPENSATED' ? 'info' : 'warn', 'compensate', {
        action: action.id,
        kind: action.kind,
        status: answer.status,
        detail: answer.detail,
      });
      callback(null, answer);
    },
  };

  function compensate(store, type, request) {
    const action = request.action;
    const madeId =
      request.driver_output && ID_PATTERN.test(request.driver_output.provider_id || '')
        ? request.driver_output.provider_id
        : type.parse(fromStruct(action.resource.config)).id;
    const prior = request.prior_state && request.prior_state.config ? type.parse(fromStruct(request.prior_state.config)) : null;
    const remaining = (id, value) => ({ provider_id: id, outputs: toStruct({ ...value, path: store.path(type.name, id) }) });
    switch (action.kind) {
      case 'ACTION_KIND_CREATE':
        store.remove(type.name, madeId);
        return { status: 'ACTION_STATUS_COMPENSATED', detail: `deleted ${type.name} ${JSON.stringify(madeId)}` };
      case 'ACTION_KIND_UPDATE':
      case 'ACTION_KIND_DELETE':
      case 'ACTION_KIND_REPLACE':
        if (!prior) return failed(`no prior state to restore ${type.name} ${JSON.stringify(madeId)} from`);
        if (madeId !== prior.id && action.kind === 'ACTION_KIND_REPLACE') store.remove(type.name, madeId);
        store.save(type.name, prior.id, prior.value);
        return {
          status: 'ACTION_STATUS_COMPENSATED',
          detail: `restored ${type.name} ${JSON.stringify(prior.id)} as it was before the ${action.kind.replace('ACTION_KIND_', '').toLowerCase()}`,
          remaining: remaining(prior.id, prior.value),
        };
      default:
        return failed(`unknown action kind ${action.kind}`);
    }
  }
}

/** grpc.health.v1.Health: "plugin" (go-plugin's name) and "" (the whole server) are SERVING. */
function healthService(stopping) {
  const known = (service) => service === '' || service === 'plugin';
  return {
    Check: (call, callback) => {
      if (known(call.request.service)) callback(null, { status: 'SERVING' });
      else callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${JSON.stringify(call.request.service)}` });
    },
    Watch: (call) => {
      call.write({ status: known(call.request.service) ? 'SERVING' : 'SERVICE_UNKNOWN' });
      const end = () => call.end();
      stopping.once('stop', end);
      call.on('cancelled', () => stopping.off('stop', end));
    },
  };
}

/** plugin.GRPCController: Shutdown answers, then stops the plugin. */
function controllerService(stop) {
  return {
    Shutdown: (call, callback) => {
      log('info', 'shutdown requested by the host');
      callback(null, {});
      setImmediate(stop);
    },
  };
}

/** plugin.GRPCStdio: an open stream that sends nothing (logs go to stderr directly). */
function stdioService(stopping) {
  return {
    StreamStdio: (call) => {
      const end = () => call.end();
      stopping.once('stop', end);
      call.on('cancelled', () => stopping.off('stop', end));
    },
  };
}

module.exports = {
  NAME,
  pluginService,
  driverService,
  compensableService,
  healthService,
  controllerService,
  stdioService,
};
