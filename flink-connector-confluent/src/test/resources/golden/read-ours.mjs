// Reads what this project's DataStream serializers wrote (the JSON files that
// SerializerOutputForNpmTest leaves in flink-connector-confluent/target/serializer-output/)
// with Confluent's own Node deserializers from @confluentinc/schemaregistry, and checks
// that each decodes to the value of the golden vector it was made from.
//
// Usage (from this directory, after `npm install`, see README.md):
//   node read-ours.mjs ../../../../target/serializer-output
//
// Each file holds the schema our serializer registered and the bytes it wrote. The
// schema is registered in the package's in-memory MockClient, the id in the frame is
// replaced with the one the mock gave it, and the package's deserializer reads the
// bytes. The script fails on the first value that differs.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import sr from '@confluentinc/schemaregistry';

const { SchemaRegistryClient, SerdeType, AvroDeserializer, JsonDeserializer } = sr;

const HERE = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node read-ours.mjs <directory of serializer output>');
  process.exit(2);
}

function toJsonValue(v) {
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v !== null && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v)) out[k] = toJsonValue(v[k]);
    return out;
  }
  return v;
}

const client = SchemaRegistryClient.newClient({ baseURLs: ['mock://ours'] });
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
assert.ok(files.length > 0, `no serializer output in ${dir}`);
for (const file of files) {
  const ours = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const golden = JSON.parse(readFileSync(join(HERE, `${ours.golden}.json`), 'utf8'));
  const topic = `ours-${ours.name}`;
  const id = await client.register(`${topic}-value`, { schemaType: ours.schemaType, schema: ours.schema });
  const payload = Buffer.from(ours.payloadHex, 'hex');
  assert.equal(payload[0], 0, `${ours.name}: magic byte`);
  payload.writeInt32BE(id, 1);
  const deser = ours.schemaType === 'AVRO'
    ? new AvroDeserializer(client, SerdeType.VALUE, {})
    : new JsonDeserializer(client, SerdeType.VALUE, { validate: true });
  const decoded = await deser.deserialize(topic, payload);
  assert.deepStrictEqual(toJsonValue(decoded), golden.value, `${ours.name}: value`);
  console.log(`${ours.name}: read by ${ours.schemaType === 'AVRO' ? 'AvroDeserializer' : 'JsonDeserializer'}, equals ${ours.golden}`);
}
