'use strict';
// A driver failure: a gRPC status code, a message for the operator, and whether repeating the call
// later may succeed. services.js sends it as a status with a compensa.v1.DriverError detail.

class DriverFailure extends Error {
  constructor(code, message, { retryable = false } = {}) {
    super(message);
    this.code = code;
    this.retryable = retryable;
  }
}

module.exports = { DriverFailure };
