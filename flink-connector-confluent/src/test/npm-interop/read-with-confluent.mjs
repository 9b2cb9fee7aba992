// Reads records that flink-connector-confluent wrote, with Confluent's own deserializers from
// @confluentinc/schemaregistry, fetching writer schemas by id from the test's real registry.
//
// Usage: node read-with-confluent.mjs <input.json>
// input:  { "registryUrl": "...", "records": [ { "format": "AVRO" | "JSON" | "PROTOBUF",
//           "topic": "...", "valueHex": "...",
//           "descriptors": { "<schema id>": "<base64 FileDescriptorProto>" } } ] }
// output (stdout): one JSON array, per record either { "value": ... } or { "error": "..." }.
//
// Values are printed in a plain shape the Java test compares: byte arrays as { "$bytes": hex },
// 64-bit integers beyond JavaScript's safe range as strings, Protobuf messages in the proto3 JSON
// mapping.
//
// The one stand-in: for PROTOBUF, Confluent's deserializer asks the registry for a writer schema
// with ?format=serialized and expects a base64 FileDescriptorProto. Apicurio's Confluent API
// returns the raw descriptor bytes as a JSON string there, not base64, so the bytes cannot be
// recovered. The registry client below therefore still fetches the schema by id from the real
// registry (so an unknown id fails as it would), but hands the deserializer the descriptor the Java
// test built from the very .proto text that registry returns.
import { readFileSync } from 'node:fs';
import {
  AvroDeserializer,
  JsonDeserializer,
  ProtobufDeserializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { toJson } from '@bufbuild/protobuf';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// Axios waits forever for an answer by default: one registry request stalled on a loaded machine
// left this script hanging until the Java side gave up after five minutes, with nothing to say
// where. A request now times out after 20 s and is retried (the package retries requests that got
// no answer), and each step is logged to stderr, which the Java side keeps.
const client = new SchemaRegistryClient({
  baseURLs: [input.registryUrl],
  createAxiosDefaults: { timeout: 20000 },
  maxRetries: 4,
});

// The package validates with Ajv and passes its configuration on to Ajv, which knows no `format`
// by itself and refuses a schema that uses one (the JSON Schemas of date and time columns do).
// RFC 3339's forms, as a user of the package would give them.
const FORMATS = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
};

function protobufClient(descriptors) {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'getBySubjectAndId') {
        return async (subject, id, format) => {
          const info = await target.getBySubjectAndId(subject, id);
          const descriptor = descriptors[String(id)];
          if (descriptor === undefined) {
            throw new Error(`the test gave no descriptor for schema id ${id}`);
          }
          return { ...info, schema: descriptor };
        };
      }
      const value = target[prop];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function plain(value) {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    return { $bytes: Buffer.from(value).toString('hex') };
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([k, v]) => [k, plain(v)]));
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const results = [];
for (const [index, record] of input.records.entries()) {
  const payload = Buffer.from(record.valueHex, 'hex');
  console.error(`${new Date().toISOString()} record ${index}: ${record.format} from ${record.topic}`);
  try {
    if (record.format === 'AVRO') {
      const des = new AvroDeserializer(client, SerdeType.VALUE, {});
      results.push({ value: plain(await des.deserialize(record.topic, payload)) });
    } else if (record.format === 'JSON') {
      const des = new JsonDeserializer(client, SerdeType.VALUE, { validate: true, formats: FORMATS });
      results.push({ value: plain(await des.deserialize(record.topic, payload)) });
    } else if (record.format === 'PROTOBUF') {
      const des = new ProtobufDeserializer(
        protobufClient(record.descriptors ?? {}), SerdeType.VALUE, {});
      const message = await des.deserialize(record.topic, payload);
      const desc = des.fileRegistry.getMessage(message.$typeName);
      results.push({ value: toJson(desc, message), typeName: message.$typeName });
    } else {
      results.push({ error: `unknown format ${record.format}` });
    }
  } catch (e) {
    results.push({ error: String(e && e.stack ? e.stack : e) });
  }
}
console.error(`${new Date().toISOString()} read ${results.length} records`);
process.stdout.write(JSON.stringify(results));
