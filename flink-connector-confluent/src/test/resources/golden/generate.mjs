// Generates golden Confluent wire-format test vectors using Confluent's own
// Node.js serializers from the npm package @confluentinc/schemaregistry.
//
// Usage (from this directory):
//   npm install
//   node generate.mjs
//
// Writes one avro-<case>.json / json-<case>.json file per case next to this
// script. Every case is serialized and then read back with the package's own
// deserializer; the script fails if the round trip or the frame header does
// not match.
//
// All schemas are registered in one in-memory MockClient, in the fixed order
// of CASES below, so the mock assigns schema ids 1, 2, 3, ... deterministically.

import { writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import sr from '@confluentinc/schemaregistry';

const {
  SchemaRegistryClient,
  SerdeType,
  AvroSerializer,
  AvroDeserializer,
  JsonSerializer,
  JsonDeserializer,
  PrefixSchemaIdSerializer,
} = sr;

const OUT_DIR = dirname(fileURLToPath(import.meta.url));

const require = createRequire(import.meta.url);
const PKG_VERSION = JSON.parse(
  readFileSync(require.resolve('@confluentinc/schemaregistry/package.json'), 'utf8'),
).version;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const hex = (s) => Buffer.from(s, 'hex');

// Days since 1970-01-01 for a UTC calendar date (Avro logicalType "date").
const epochDays = (y, m, d) => Date.UTC(y, m - 1, d) / 86_400_000;

// Converts a decoded value into plain JSON: Buffers become lowercase hex
// strings, Avro record class instances become plain objects.
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

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

const AVRO_CASES = [
  {
    name: 'simple',
    description: 'Avro record Order with two int fields, serialized by the Confluent AvroSerializer with TopicNameStrategy.',
    schema: {
      type: 'record',
      name: 'Order',
      namespace: 'io.confluent.golden',
      fields: [
        { name: 'customer_id', type: 'int' },
        { name: 'order_id', type: 'int' },
      ],
    },
    value: { customer_id: 42, order_id: 1001 },
  },
  {
    name: 'primitives',
    description: 'Avro record with boolean, int, long (> 2^32), float, double, non-ASCII string and bytes fields; the bytes field is given in "value" as a lowercase hex string.',
    schema: {
      type: 'record',
      name: 'Primitives',
      namespace: 'io.confluent.golden',
      fields: [
        { name: 'f_boolean', type: 'boolean' },
        { name: 'f_int', type: 'int' },
        { name: 'f_long', type: 'long' },
        { name: 'f_float', type: 'float' },
        { name: 'f_double', type: 'double' },
        { name: 'f_string', type: 'string' },
        { name: 'f_bytes', type: 'bytes' },
      ],
    },
    value: {
      f_boolean: true,
      f_int: -123456,
      f_long: 9876543210123,
      f_float: 3.25,
      f_double: 2.718281828459045,
      f_string: 'héllo ✓',
      f_bytes: hex('00017f80ff'),
    },
  },
  {
    name: 'nullable',
    description: 'Avro record with a ["null","string"] union field set to null and a ["null","long"] union field set to a number; union values are given as plain values.',
    schema: {
      type: 'record',
      name: 'Nullable',
      namespace: 'io.confluent.golden',
      fields: [
        { name: 'id', type: 'int' },
        { name: 'maybe_name', type: ['null', 'string'], default: null },
        { name: 'maybe_count', type: ['null', 'long'], default: null },
      ],
    },
    value: { id: 7, maybe_name: null, maybe_count: 5000000000 },
  },
  {
    name: 'complex',
    description: 'Avro record with an enum, an array<int>, a single-entry map<string,long> and a nested record.',
    schema: {
      type: 'record',
      name: 'Complex',
      namespace: 'io.confluent.golden',
      fields: [
        {
          name: 'status',
          type: { type: 'enum', name: 'Status', symbols: ['PENDING', 'SHIPPED', 'DELIVERED'] },
        },
        { name: 'quantities', type: { type: 'array', items: 'int' } },
        { name: 'counters', type: { type: 'map', values: 'long' } },
        {
          name: 'address',
          type: {
            type: 'record',
            name: 'Address',
            fields: [
              { name: 'street', type: 'string' },
              { name: 'zip', type: 'int' },
            ],
          },
        },
      ],
    },
    value: {
      status: 'SHIPPED',
      quantities: [1, 2, 3, -4],
      counters: { clicks: 12345678901 },
      address: { street: 'Main St 1', zip: 12345 },
    },
  },
  {
    name: 'logical',
    description:
      'Avro record with logicalType date (2024-03-15 = 19797 days), timestamp-millis (2024-03-15T12:34:56.789Z) ' +
      'and decimal(10,2) bytes (12345.67, unscaled 1234567 big-endian two\'s complement); the package has no ' +
      'logical-type conversion, so "value" holds the underlying int, long and bytes (bytes as lowercase hex).',
    schema: {
      type: 'record',
      name: 'Logical',
      namespace: 'io.confluent.golden',
      fields: [
        { name: 'f_date', type: { type: 'int', logicalType: 'date' } },
        { name: 'f_timestamp_millis', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'f_decimal', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
      ],
    },
    value: {
      f_date: epochDays(2024, 3, 15),
      f_timestamp_millis: Date.UTC(2024, 2, 15, 12, 34, 56, 789),
      // 12345.67 with scale 2 -> unscaled 1234567 = 0x12d687 (minimal two's complement)
      f_decimal: hex('12d687'),
    },
  },
];

const JSON_CASES = [
  {
    name: 'simple',
    description: 'JSON Schema object Order with two required integer fields, serialized by the Confluent JsonSerializer with TopicNameStrategy.',
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Order',
      type: 'object',
      properties: {
        customer_id: { type: 'integer' },
        order_id: { type: 'integer' },
      },
      required: ['customer_id', 'order_id'],
      additionalProperties: false,
    },
    value: { customer_id: 42, order_id: 1001 },
  },
  {
    name: 'nested',
    description: 'JSON Schema object with a string, a number, a boolean, an array of strings and a nested object.',
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Nested',
      type: 'object',
      properties: {
        name: { type: 'string' },
        price: { type: 'number' },
        active: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        address: {
          type: 'object',
          properties: {
            street: { type: 'string' },
            zip: { type: 'integer' },
          },
          required: ['street', 'zip'],
        },
      },
      required: ['name', 'price', 'active', 'tags', 'address'],
    },
    value: {
      name: 'héllo ✓',
      price: 19.99,
      active: true,
      tags: ['a', 'b'],
      address: { street: 'Main St 1', zip: 12345 },
    },
  },
];

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

// "mock://" makes newClient return the package's in-memory MockClient.
const client = SchemaRegistryClient.newClient({ baseURLs: ['mock://golden'] });

// The schema is registered explicitly and the serializer is told to use the
// latest version of the subject. (With autoRegisterSchemas the Node serializer
// would register a schema *inferred from the message*, not ours.)
const serializerConf = {
  autoRegisterSchemas: false,
  useLatestVersion: true,
  schemaIdSerializer: PrefixSchemaIdSerializer, // magic byte 0 + 4-byte id prefix (the default)
};

async function generate(kind, c) {
  const schemaType = kind === 'avro' ? 'AVRO' : 'JSON';
  const topic = `golden-${kind}-${c.name}`;
  const subject = `${topic}-value`; // TopicNameStrategy for a value serializer
  const schemaText = JSON.stringify(c.schema);

  const registeredId = await client.register(subject, { schemaType, schema: schemaText });

  const ser = kind === 'avro'
    ? new AvroSerializer(client, SerdeType.VALUE, serializerConf)
    : new JsonSerializer(client, SerdeType.VALUE, { ...serializerConf, validate: true });
  const payload = await ser.serialize(topic, c.value);

  // Frame checks: magic byte 0, then the big-endian schema id.
  assert.equal(payload[0], 0, `${kind}-${c.name}: magic byte`);
  const schemaId = payload.readInt32BE(1);
  assert.equal(schemaId, registeredId, `${kind}-${c.name}: schema id in frame`);

  // Round trip with the package's own deserializer.
  const deser = kind === 'avro'
    ? new AvroDeserializer(client, SerdeType.VALUE, {})
    : new JsonDeserializer(client, SerdeType.VALUE, { validate: true });
  const decoded = await deser.deserialize(topic, payload);
  assert.deepStrictEqual(toJsonValue(decoded), toJsonValue(c.value), `${kind}-${c.name}: round trip`);

  const payloadHex = payload.toString('hex');
  const expectedPrefix = '00' + schemaId.toString(16).padStart(8, '0');
  assert.ok(payloadHex.startsWith(expectedPrefix), `${kind}-${c.name}: hex prefix`);

  const out = {
    description: c.description,
    schemaType,
    subject,
    schema: schemaText,
    schemaId,
    value: toJsonValue(c.value),
    payloadHex,
  };
  const file = join(OUT_DIR, `${kind}-${c.name}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n', 'utf8');
  console.log(`wrote ${file} (id=${schemaId}, ${payload.length} bytes, round trip OK)`);
}

console.log(`@confluentinc/schemaregistry ${PKG_VERSION}`);
for (const c of AVRO_CASES) await generate('avro', c);
for (const c of JSON_CASES) await generate('json', c);
await client.close();
