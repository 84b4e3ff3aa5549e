// Preloaded with `node --require`: names under intacct.com resolve to 127.0.0.1 inside this
// process only. The official SDK refuses endpoints whose host does not end in ".intacct.com", so
// the contract tests call the emulator as http://<name>.intacct.com:<port>/... and this keeps
// that traffic on loopback without touching /etc/hosts.
"use strict";
const dns = require("dns");

const original = dns.lookup;
function isIntacct(hostname) {
  const host = String(hostname).toLowerCase().replace(/\.$/, "");
  return host === "intacct.com" || host.endsWith(".intacct.com");
}

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  if (!isIntacct(hostname)) {
    return original.call(dns, hostname, options, callback);
  }
  const opts = typeof options === "number" ? { family: options } : options || {};
  if (opts.all) {
    return process.nextTick(callback, null, [{ address: "127.0.0.1", family: 4 }]);
  }
  return process.nextTick(callback, null, "127.0.0.1", 4);
};
