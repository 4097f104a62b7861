// Stands in for the Functions host's `@azure/functions-core` under Jest: it records every
// registration (metadata + callback) so tests can assert what Azure would be told.
const registrations = [];
let programmingModel;

module.exports = {
  registrations,
  get programmingModel() {
    return programmingModel;
  },
  setProgrammingModel(model) {
    programmingModel = model;
  },
  getProgrammingModel() {
    return programmingModel;
  },
  registerFunction(metadata, callback) {
    registrations.push({ metadata, callback });
    return { dispose() {} };
  },
  registerHook() {
    return { dispose() {} };
  },
  // Its presence tells @azure/functions the host is new enough for HTTP streaming.
  log() {},
};
