'use strict';
// The two resource types node-tasks drives, one per compensation style the host knows:
//   nodetasks_task  (config {"title": string, "done": boolean}): the host undoes each action with
//                   inverse calls (HOST_INVERSE); the title names the task, so a new title replaces it.
//   nodetasks_label (config {"name": string, "color": string}): the plugin undoes each action itself
//                   through CompensableService (PLUGIN); the name is the label's id.

const grpc = require('@grpc/grpc-js');
const { DriverFailure } = require('./failure');

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

function slug(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

function invalid(message) {
  return new DriverFailure(grpc.status.INVALID_ARGUMENT, message);
}

const TASK = {
  name: 'nodetasks_task',
  description: 'A task (a title and whether it is done) kept as a JSON file under the plugin root.',
  policy: 'COMPENSATION_POLICY_HOST_INVERSE',
  samples: [
    { title: 'Write the docs', done: false },
    { title: 'Write the docs', done: true },
  ],
  /** { id, value } from a config; throws INVALID_ARGUMENT naming the field. */
  parse(config) {
    const { title, done = false } = config;
    if (typeof title !== 'string' || title.trim() === '') {
      throw invalid('nodetasks_task config needs "title" (a non-empty string)');
    }
    if (typeof done !== 'boolean') throw invalid('nodetasks_task config "done" must be true or false');
    const id = slug(title);
    if (!id) throw invalid(`nodetasks_task title ${JSON.stringify(title)} has no letters or digits to name it`);
    return { id, value: { title, done } };
  },
  replaceKeys: ['title'],
};

const LABEL = {
  name: 'nodetasks_label',
  description: 'A label (a name and a colour) kept as a JSON file; the plugin compensates its own actions.',
  policy: 'COMPENSATION_POLICY_PLUGIN',
  samples: [
    { name: 'urgent', color: 'red' },
    { name: 'urgent', color: 'orange' },
  ],
  parse(config) {
    const { name, color } = config;
    if (typeof name !== 'string' || !ID_PATTERN.test(name)) {
      throw invalid(
        'nodetasks_label config needs "name": 1 to 63 lowercase letters, digits or dashes, starting with a letter or digit',
      );
    }
    if (typeof color !== 'string' || color === '') throw invalid('nodetasks_label config needs "color" (a non-empty string)');
    return { id: name, value: { name, color } };
  },
  replaceKeys: ['name'],
};

const TYPES = new Map([TASK, LABEL].map((type) => [type.name, type]));

/** The type named name; throws INVALID_ARGUMENT for any other. */
function typeNamed(name) {
  const type = TYPES.get(name);
  if (!type) throw invalid(`unknown resource type ${JSON.stringify(name)}: node-tasks drives ${[...TYPES.keys()].join(' and ')}`);
  return type;
}

module.exports = { TYPES, typeNamed, ID_PATTERN, invalid };
