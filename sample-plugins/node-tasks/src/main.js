'use strict';
// node-tasks: a Compensa sample plugin in Node.js on @grpc/grpc-js, with no SDK, written from
// docs/protocol.md and the .proto files alone. It checks the magic cookie, listens on a Unix socket
// (when the host gives PLUGIN_UNIX_SOCKET_DIR) or on TCP 127.0.0.1 in the host's port range, with
// AutoMTLS when the host sends its certificate, prints the handshake line, serves the services of
// services.js and server reflection, logs hclog JSON lines on stderr, ignores SIGINT, and exits
// when its host is gone.

const EventEmitter = require('events');
const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const contract = require('./contract');
const { reflectionHandler } = require('./reflection');
const services = require('./services');
const { serverCredentials } = require('./tls');
const { Store } = require('./store');
const { TYPES } = require('./types');
const { DriverFailure } = require('./failure');
const { log } = require('./log');

const COOKIE_KEY = 'COMPENSA_PLUGIN_MAGIC_COOKIE';
const COOKIE_VALUE = 'd3c1f0a7e5b94c2e8a6b1f0e9d7c3a52';
const SUPPORTED_VERSIONS = [1];
const SERVED = [
  'compensa.v1.PluginService',
  'compensa.v1.DriverService',
  'compensa.v1.CompensableService',
  'grpc.health.v1.Health',
  'plugin.GRPCController',
  'plugin.GRPCStdio',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
];

/** The highest offered version we support; none in common: our lowest, and the host says so. */
function chooseVersion(offered) {
  const common = (offered || '')
    .split(',')
    .map((part) => Number.parseInt(part.trim(), 10))
    .filter((version) => SUPPORTED_VERSIONS.includes(version));
  return common.length ? Math.max(...common) : Math.min(...SUPPORTED_VERSIONS);
}

/**
 * The plugin root from COMPENSA_PLUGIN_CONFIG ({"root": "/absolute/dir"}): null when the variable
 * is unset (Describe still works; driver calls fail naming the variable); an Error when it is set
 * but wrong.
 */
function configuredRoot(raw) {
  if (!raw || !raw.trim()) return null;
  let config;
  try {
    config = JSON.parse(raw);
  } catch (error) {
    return new Error(`COMPENSA_PLUGIN_CONFIG is not JSON like {"root": "/absolute/dir"}: ${error.message}`);
  }
  const root = config && typeof config === 'object' ? config.root : undefined;
  if (typeof root !== 'string' || !path.isAbsolute(root)) {
    return new Error(`COMPENSA_PLUGIN_CONFIG needs "root" set to an absolute directory, got ${JSON.stringify(root)}`);
  }
  return path.normalize(root);
}

function bind(server, credentials, env) {
  const bindAt = (address) =>
    new Promise((resolve, reject) => server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port))));
  if (env.PLUGIN_UNIX_SOCKET_DIR) {
    const socket = path.join(env.PLUGIN_UNIX_SOCKET_DIR, `plugin-${process.pid}.sock`);
    return bindAt(`unix:${socket}`).then(() => ({ network: 'unix', address: socket }));
  }
  const low = Number.parseInt(env.PLUGIN_MIN_PORT || '10000', 10);
  const high = Number.parseInt(env.PLUGIN_MAX_PORT || '25000', 10);
  const count = high - low + 1;
  const start = Math.floor(Math.random() * count);
  const attempt = async (tried) => {
    if (tried >= Math.min(count, 200)) throw new Error(`no free TCP port between ${low} and ${high}`);
    const port = low + ((start + tried) % count);
    try {
      await bindAt(`127.0.0.1:${port}`);
      return { network: 'tcp', address: `127.0.0.1:${port}` };
    } catch (error) {
      return attempt(tried + 1);
    }
  };
  return attempt(0);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code === 'ESRCH') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z'; // a zombie host is gone too
  } catch (error) {
    return true;
  }
}

/** Exits when the host is gone: COMPENSA_HOST_PID's process, or the parent we started with. */
function startOrphanGuard(env, stop) {
  const parent = process.ppid;
  const hostPid = Number.parseInt(env.COMPENSA_HOST_PID || '', 10);
  const timer = setInterval(() => {
    let reason = null;
    if (process.ppid !== parent) reason = `parent process ${parent} is gone`;
    else if (hostPid > 0 && !alive(hostPid)) reason = `host process ${hostPid} (COMPENSA_HOST_PID) is gone`;
    if (reason) {
      log('warn', 'host is gone, exiting', { reason });
      stop();
      setTimeout(() => process.exit(2), 200).unref();
    }
  }, 500);
  timer.unref();
}

/**
 * Runs the plugin. overrides exist for the conformance suite's broken fixtures (interop tests), which
 * break one rule each: driver (a function given the driver service, returning the one to serve),
 * reflection (false: none; 'without-imports': each file without the files it imports),
 * ignoreSigint (false: exit on SIGINT), orphanGuard (false: none). The launcher passes none.
 *
 * @returns a promise of the exit code, or of null while the plugin serves
 */
async function serve(overrides = {}) {
  const env = process.env;
  const debug = ['1', 'true'].includes((env.COMPENSA_PLUGIN_DEBUG || '').toLowerCase());
  if (debug) enterDebugMode(env);
  if (!debug && env[COOKIE_KEY] !== COOKIE_VALUE) {
    process.stderr.write(
      'This program is a Compensa plugin (node-tasks); it is not meant to be run directly: start it from a Compensa host.\n',
    );
    return 1;
  }
  const root = configuredRoot(env.COMPENSA_PLUGIN_CONFIG);
  if (root instanceof Error) {
    process.stderr.write(`compensa-node-tasks: ${root.message}\n`);
    return 1;
  }
  let store = null;
  const storeOf = () => {
    if (root === null) {
      throw new DriverFailure(
        grpc.status.FAILED_PRECONDITION,
        'node-tasks has no root directory: start it with COMPENSA_PLUGIN_CONFIG={"root": "/absolute/dir"}',
      );
    }
    if (store === null) store = new Store(root, [...TYPES.keys()]);
    return store;
  };
  // like go-plugin: a Ctrl-C meant for the host must not stop the plugin first
  if (overrides.ignoreSigint !== false && !debug) {
    process.on('SIGINT', () => log('debug', 'SIGINT ignored: the host decides when the plugin stops'));
  }

  const stopping = new EventEmitter();
  const server = new grpc.Server();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stopping.emit('stop');
    const force = setTimeout(() => server.forceShutdown(), 1000);
    server.tryShutdown(() => {
      clearTimeout(force);
      log('info', 'stopped');
      process.exit(0);
    });
  };

  server.addService(contract.service('compensa.v1.PluginService'), services.pluginService());
  const driver = services.driverService(storeOf);
  server.addService(contract.service('compensa.v1.DriverService'), overrides.driver ? overrides.driver(driver) : driver);
  server.addService(contract.service('compensa.v1.CompensableService'), services.compensableService(storeOf));
  server.addService(contract.service('grpc.health.v1.Health'), services.healthService(stopping));
  server.addService(contract.service('plugin.GRPCController'), services.controllerService(stop));
  server.addService(contract.service('plugin.GRPCStdio'), services.stdioService(stopping));
  if (overrides.reflection !== false) {
    const reflection = reflectionHandler(SERVED, { withImports: overrides.reflection !== 'without-imports' });
    server.addService(contract.service('grpc.reflection.v1.ServerReflection'), reflection);
    server.addService(contract.service('grpc.reflection.v1alpha.ServerReflection'), reflection);
  }

  const { credentials, handshakeField } = await serverCredentials(env);
  let bound;
  try {
    bound = await bind(server, credentials, env);
  } catch (error) {
    log('error', 'cannot listen', { error: error.message });
    return 1;
  }
  if (overrides.orphanGuard !== false && !debug) startOrphanGuard(env, stop);
  const version = chooseVersion(env.PLUGIN_PROTOCOL_VERSIONS);
  log('info', 'serving', { root, network: bound.network, address: bound.address, pid: process.pid, tls: !!handshakeField });
  const fields = ['1', String(version), bound.network, bound.address, 'grpc'];
  if (handshakeField) fields.push(handshakeField);
  if (debug) {
    // no host reads this: the author pastes it into the shell that runs compensa
    process.stdout.write(`export COMPENSA_REATTACH_PLUGINS='${JSON.stringify({ [services.NAME]: fields.join('|') })}'\n`);
    log('info', 'debug mode: paste the line above into the shell that runs compensa; Ctrl-C stops the plugin');
  } else {
    process.stdout.write(`${fields.join('|')}\n`);
  }
  return null; // keep serving
}

/**
 * Debug mode (docs/protocol.md, section 5a): what a host would pass, for a plugin nobody launched —
 * no host certificate, no host to watch, protocol version 1, a private socket directory of its own.
 */
function enterDebugMode(env) {
  delete env.PLUGIN_CLIENT_CERT;
  delete env.COMPENSA_HOST_PID;
  if (!env.PLUGIN_PROTOCOL_VERSIONS) env.PLUGIN_PROTOCOL_VERSIONS = '1';
  if (!env.PLUGIN_UNIX_SOCKET_DIR) {
    env.PLUGIN_UNIX_SOCKET_DIR = fs.mkdtempSync(path.join(require('os').tmpdir(), 'compensa-debug'));
  }
}

/** Serves, and exits with the code serve() gives (or 1 on an error) when it stops early. */
function run(overrides) {
  serve(overrides).then(
    (code) => {
      if (code !== null) process.exit(code);
    },
    (error) => {
      process.stderr.write(`compensa-node-tasks: ${error.stack || error}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) run();

module.exports = { run };
