'use strict';
// Log lines on stderr in go-plugin's (hclog's) JSON format, which the host keeps with their level
// and fields (docs/protocol.md, section 4). stdout carries the handshake line and nothing else.

const LEVELS = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
const minimum = LEVELS[(process.env.COMPENSA_LOG_LEVEL || 'info').toLowerCase()] ?? LEVELS.info;

function log(level, message, fields = {}) {
  if (LEVELS[level] < minimum) return;
  const line = {
    '@level': level,
    '@message': message,
    '@module': 'node-tasks',
    '@timestamp': new Date().toISOString(),
    ...fields,
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

module.exports = { log };
