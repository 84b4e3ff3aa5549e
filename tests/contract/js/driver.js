// Drives the official Sage Intacct JavaScript SDK (unmodified) against the emulator.
//
// Usage: node --require ./loopback.js driver.js CASES.json
// CASES.json: {"endpoint": URL, "sender": {"id", "password"}, "cases": [CASE, ...]}
// CASE: {"id", "company", "user", "password", "entity"?, "session"?: bool, "fn": SPEC}
//   or  {..., "batch": [SPEC, ...], "transaction"?: bool, "uniqueId"?: bool}  one request, several functions
// SPEC builds one SDK function object from plain JSON, so every case lives in the Python test:
//   {"$class": "Functions.AccountsPayable.BillCreate", "vendorId": "V-1", "lines": [SPEC, ...]}
//   {"$date": "2026-03-16"}            a Date (the SDK formats dates in local time; run with TZ=UTC)
//   {"$class": ..., "$chain": [["method", arg, ...], ...]}  builder calls; the chain's last value is used
//   {"$ref": "case-id"}                the key an earlier case's result carried (a RECORDNO to delete ...)
//   {"$ref": "case-id", "$number": true} the same key as a number
//   {"$result": "case-id"}             the resultId an earlier read answered (for readMore)
//   ("$chain" steps that are plain strings read a property: "selects")
// Prints one JSON array: for each case what the SDK's own client made of the emulator's answer
// (the result it parsed, or the exception it raised) and the function XML the SDK wrote.
"use strict";
const fs = require("fs");
const xmlbuilder = require("xmlbuilder");
const IA = require("@intacct/intacct-sdk");

function lookupClass(path) {
  let found = IA;
  for (const part of path.split(".")) {
    found = found == null ? undefined : found[part];
  }
  if (typeof found !== "function") {
    throw new Error("no SDK class " + path);
  }
  return found;
}

const keys = {};
const resultIds = {};

function build(spec) {
  if (Array.isArray(spec)) {
    return spec.map(build);
  }
  if (spec === null || typeof spec !== "object") {
    return spec;
  }
  if ("$ref" in spec) {
    if (!(spec.$ref in keys)) {
      throw new Error("case " + spec.$ref + " gave no key");
    }
    return spec.$number ? Number(keys[spec.$ref]) : keys[spec.$ref];
  }
  if ("$result" in spec) {
    return resultIds[spec.$result];
  }
  if ("$date" in spec) {
    const [y, m, d] = spec.$date.split("-").map(Number);
    return new Date(y, m - 1, d);
  }
  if (!("$class" in spec)) {
    const plain = {};
    for (const [k, v] of Object.entries(spec)) {
      plain[k] = build(v);
    }
    return plain;
  }
  const Cls = lookupClass(spec.$class);
  let made = new Cls(...(spec.$args || []).map(build));
  for (const [k, v] of Object.entries(spec)) {
    if (!k.startsWith("$")) {
      made[k] = build(v);
    }
  }
  for (const step of spec.$chain || []) {
    if (typeof step === "string") {
      made = made[step]; // a getter, such as SelectBuilder.selects
    } else {
      const [method, ...args] = step;
      made = made[method](...args.map(build));
    }
  }
  return made;
}

function functionXml(fn) {
  const writer = new IA.Xml.IaXmlWriter(xmlbuilder.create("content", { headless: true }));
  fn.writeXml(writer);
  return writer.flush(true);
}

function describeResult(result) {
  return {
    status: result.status,
    function: result.functionName,
    controlId: result.controlId,
    key: result.key,
    listType: result.listType,
    count: result.count,
    totalCount: result.totalCount,
    numRemaining: result.numRemaining,
    resultId: result.resultId,
    data: result.data,
    errors: result.errors,
  };
}

function describeError(err) {
  return {
    type: err.constructor ? err.constructor.name : typeof err,
    name: err.name,
    message: err.message,
    errors: err.errors || [],
  };
}

async function runCase(input, c) {
  const config = new IA.ClientConfig();
  config.endpointUrl = input.endpoint;
  config.senderId = input.sender.id;
  config.senderPassword = input.sender.password;
  config.companyId = c.company;
  config.userId = c.user;
  config.userPassword = c.password;
  if (c.entity) {
    config.entityId = c.entity;
  }
  const out = { id: c.id };
  let fn;
  let batch;
  try {
    if (c.batch && c.batch.length) {
      batch = c.batch.map(build);
      out.request = batch.map(functionXml).join("\n");
    } else {
      fn = build(c.fn);
      out.request = functionXml(fn);
    }
  } catch (err) {
    out.buildError = describeError(err);
    return out;
  }
  try {
    let clientConfig = config;
    if (c.session) {
      clientConfig = await IA.SessionProvider.factory(config);
      out.session = { endpoint: clientConfig.endpointUrl, entity: clientConfig.entityId, company: clientConfig.companyId };
    }
    const client = new IA.OnlineClient(clientConfig);
    const requestConfig = new IA.RequestConfig();
    requestConfig.transaction = Boolean(c.transaction);
    requestConfig.uniqueId = Boolean(c.uniqueId);
    if (batch) {
      const response = await client.executeBatch(batch, requestConfig);
      out.ok = true;
      out.results = response.results.map(describeResult);
      return out;
    }
    const response = await client.execute(fn, requestConfig);
    out.ok = true;
    out.result = describeResult(response.getResult());
    if (out.result.resultId) {
      resultIds[c.id] = out.result.resultId;
    }
    const first = (out.result.data || [])[0];
    const recordNo = first && typeof first === "object" ? first.RECORDNO : undefined;
    if (out.result.key || recordNo) {
      keys[c.id] = out.result.key || recordNo;
    }
  } catch (err) {
    out.ok = false;
    out.error = describeError(err);
  }
  return out;
}

async function main() {
  const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const outcomes = [];
  for (const c of input.cases) {
    outcomes.push(await runCase(input, c));
  }
  process.stdout.write(JSON.stringify(outcomes));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(2);
});
