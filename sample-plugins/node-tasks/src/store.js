'use strict';
// The plugin's world: one JSON file per resource, <root>/<type>/<id>.json, written atomically
// (a temporary file, fsync, rename). A ledger, <root>/.ledger/<sha256 of type and action id>,
// remembers which action created which resource, so that a Create repeated with the same action id
// returns what it made, while a Create by another action finds the resource taken.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

class Store {
  /** @param {string} root an absolute directory; created with its subdirectories */
  constructor(root, types) {
    this.root = root;
    for (const dir of [root, path.join(root, '.ledger'), ...types.map((type) => path.join(root, type))]) {
      fs.mkdirSync(dir, { recursive: true });
    }
  }

  path(type, id) {
    return path.join(this.root, type, `${id}.json`);
  }

  /** The stored object, or null when the resource does not exist. */
  load(type, id) {
    let text;
    try {
      text = fs.readFileSync(this.path(type, id), 'utf8');
    } catch (error) {
      if (error.code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      const damaged = new Error(`${this.path(type, id)} is not JSON: ${error.message}`);
      damaged.damaged = true;
      throw damaged;
    }
  }

  save(type, id, value) {
    writeAtomically(this.path(type, id), `${JSON.stringify(value, null, 2)}\n`);
  }

  remove(type, id) {
    fs.rmSync(this.path(type, id), { force: true });
  }

  ledgerPath(type, actionId) {
    const digest = crypto.createHash('sha256').update(`${type}\n${actionId}`).digest('hex');
    return path.join(this.root, '.ledger', digest);
  }

  /** Whether action actionId created resource id of type. */
  createdBy(type, actionId, id) {
    if (!actionId) return false;
    try {
      return fs.readFileSync(this.ledgerPath(type, actionId), 'utf8') === id;
    } catch (error) {
      if (error.code === 'ENOENT') return false;
      throw error;
    }
  }

  recordCreation(type, actionId, id) {
    if (actionId) writeAtomically(this.ledgerPath(type, actionId), id);
  }
}

function writeAtomically(file, text) {
  const temporary = `${file}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const fd = fs.openSync(temporary, 'w', 0o644);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

module.exports = { Store };
