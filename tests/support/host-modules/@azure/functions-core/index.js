// Found through NODE_PATH by the built entry point's plain-node test, in place of the host's module.
module.exports = require('../../../functions-core-stub.cjs');
