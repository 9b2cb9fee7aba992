// Generates golden Confluent wire-format test vectors using Confluent's own
// Node.js serializers from the npm package @confluentinc/schemaregistry.
//
// Usage (from this directory):
//   npm install
//   node generate.mjs
//
// Writes one avro-<case>.json / json-<case>.json / protobuf-<case>.json file
// per case next to this script. Every case is serialized and then read back with the package's own
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
import { create, createFileRegistry, toJson } from '@bufbuild/protobuf';
import {
  FileDescriptorProtoSchema,
  TimestampSchema,
  file_google_protobuf_timestamp,
} from '@bufbuild/protobuf/wkt';

const {
  SchemaRegistryClient,
  SerdeType,
  AvroSerializer,
  AvroDeserializer,
  JsonSerializer,
  JsonDeserializer,
  PrefixSchemaIdSerializer,
  ProtobufSerializer,
  ProtobufDeserializer,
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

// ---------------------------------------------------------------------------
// Protobuf
// ---------------------------------------------------------------------------
//
// The package has no .proto text parser either: each case's file is given as a
// FileDescriptorProto (what protoc would produce for the .proto text in the
// case's "proto" field), and the ProtobufSerializer registers it itself
// (autoRegisterSchemas), as base64 of the serialized FileDescriptorProto - the
// form the Node serializer always registers.

// FieldDescriptorProto.Type and .Label numbers.
const T = { DOUBLE: 1, INT64: 3, UINT64: 4, INT32: 5, BOOL: 8, STRING: 9, MESSAGE: 11, BYTES: 12, ENUM: 14, SINT32: 17 };
const OPTIONAL = 1;
const REPEATED = 3;
const field = (name, number, type, extra = {}) =>
  ({ name, number, type, label: OPTIONAL, jsonName: name.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), ...extra });

const PROTOBUF_CASES = [
  {
    name: 'order',
    description:
      'proto3 message golden.Order (the first message of its file, index path [0]) with int64, string, packed ' +
      'repeated int32, enum, google.protobuf.Timestamp, map<string,int64>, nested message, an unset proto3 ' +
      'optional, a oneof with its int32 member set, bytes, double, sint32 and uint64 (2^64 - 1) fields; ' +
      '"value" is the message in the proto3 JSON mapping (bufbuild toJson).',
    proto: `syntax = "proto3";
package golden;
import "google/protobuf/timestamp.proto";
message Order {
  int64 id = 1;
  string customer = 2;
  repeated int32 quantities = 3;
  Status status = 4;
  google.protobuf.Timestamp placed_at = 5;
  map<string, int64> counters = 6;
  Address address = 7;
  optional string note = 8;
  oneof payment { string card = 9; int32 store = 10; }
  bytes blob = 11;
  double ratio = 12;
  sint32 delta = 13;
  uint64 big = 14;
  message Address { string street = 1; int32 zip = 2; }
  enum Status { STATUS_UNKNOWN = 0; STATUS_SHIPPED = 1; }
}
`,
    file: {
      name: 'golden/order.proto',
      package: 'golden',
      syntax: 'proto3',
      dependency: ['google/protobuf/timestamp.proto'],
      messageType: [
        {
          name: 'Order',
          field: [
            field('id', 1, T.INT64),
            field('customer', 2, T.STRING),
            field('quantities', 3, T.INT32, { label: REPEATED }),
            field('status', 4, T.ENUM, { typeName: '.golden.Order.Status' }),
            field('placed_at', 5, T.MESSAGE, { typeName: '.google.protobuf.Timestamp' }),
            field('counters', 6, T.MESSAGE, { label: REPEATED, typeName: '.golden.Order.CountersEntry' }),
            field('address', 7, T.MESSAGE, { typeName: '.golden.Order.Address' }),
            field('note', 8, T.STRING, { oneofIndex: 1, proto3Optional: true }),
            field('card', 9, T.STRING, { oneofIndex: 0 }),
            field('store', 10, T.INT32, { oneofIndex: 0 }),
            field('blob', 11, T.BYTES),
            field('ratio', 12, T.DOUBLE),
            field('delta', 13, T.SINT32),
            field('big', 14, T.UINT64),
          ],
          nestedType: [
            { name: 'Address', field: [field('street', 1, T.STRING), field('zip', 2, T.INT32)] },
            {
              name: 'CountersEntry',
              field: [field('key', 1, T.STRING), field('value', 2, T.INT64)],
              options: { mapEntry: true },
            },
          ],
          enumType: [
            { name: 'Status', value: [{ name: 'STATUS_UNKNOWN', number: 0 }, { name: 'STATUS_SHIPPED', number: 1 }] },
          ],
          oneofDecl: [{ name: 'payment' }, { name: '_note' }],
        },
      ],
    },
    message: 'golden.Order',
    value: (desc) => ({
      id: 9876543210123n,
      customer: 'héllo ✓',
      quantities: [1, 2, 3, -4],
      status: 1,
      placedAt: create(TimestampSchema, { seconds: 1710506096n, nanos: 789000000 }),
      counters: { clicks: 12345678901n },
      address: { $typeName: 'golden.Order.Address', street: 'Main St 1', zip: 12345 },
      payment: { case: 'store', value: 7 },
      blob: Buffer.from('00017f80ff', 'hex'),
      ratio: 2.718281828459045,
      delta: -123456,
      big: 18446744073709551615n,
    }),
  },
  {
    name: 'nested-index',
    description:
      'proto3 file with two top-level messages; the value is golden.Outer.Inner, the first message nested in ' +
      'the second top-level message (index path [1, 0]).',
    proto: `syntax = "proto3";
package golden;
message First { string unused = 1; }
message Outer {
  message Inner { string name = 1; int32 count = 2; }
  Inner inner = 1;
}
`,
    file: {
      name: 'golden/nested.proto',
      package: 'golden',
      syntax: 'proto3',
      messageType: [
        { name: 'First', field: [field('unused', 1, T.STRING)] },
        {
          name: 'Outer',
          field: [field('inner', 1, T.MESSAGE, { typeName: '.golden.Outer.Inner' })],
          nestedType: [{ name: 'Inner', field: [field('name', 1, T.STRING), field('count', 2, T.INT32)] }],
        },
      ],
    },
    message: 'golden.Outer.Inner',
    value: () => ({ name: 'inner', count: 3 }),
  },
];

async function generateProtobuf(c) {
  const topic = `golden-protobuf-${c.name}`;
  const subject = `${topic}-value`;
  const fileProto = create(FileDescriptorProtoSchema, c.file);
  const registry = createFileRegistry(fileProto, (name) =>
    name === 'google/protobuf/timestamp.proto' ? file_google_protobuf_timestamp : undefined);
  const messageDesc = registry.getMessage(c.message);
  assert.ok(messageDesc, `protobuf-${c.name}: message ${c.message}`);
  const msg = create(messageDesc, c.value(messageDesc));

  const ser = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry });
  const payload = await ser.serialize(topic, msg);
  assert.equal(payload[0], 0, `protobuf-${c.name}: magic byte`);
  const schemaId = payload.readInt32BE(1);
  const registered = await client.getLatestSchemaMetadata(subject);
  assert.equal(registered.id, schemaId, `protobuf-${c.name}: schema id in frame`);

  const deser = new ProtobufDeserializer(client, SerdeType.VALUE, {});
  const decoded = await deser.deserialize(topic, payload);
  const json = toJson(messageDesc, msg);
  assert.deepStrictEqual(toJson(messageDesc, decoded), json, `protobuf-${c.name}: round trip`);

  const out = {
    description: c.description,
    schemaType: 'PROTOBUF',
    subject,
    schema: registered.schema,
    proto: c.proto,
    schemaId,
    message: c.message,
    value: json,
    payloadHex: payload.toString('hex'),
  };
  const file = join(OUT_DIR, `protobuf-${c.name}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n', 'utf8');
  console.log(`wrote ${file} (id=${schemaId}, ${payload.length} bytes, round trip OK)`);
}

console.log(`@confluentinc/schemaregistry ${PKG_VERSION}`);
for (const c of AVRO_CASES) await generate('avro', c);
for (const c of JSON_CASES) await generate('json', c);
for (const c of PROTOBUF_CASES) await generateProtobuf(c);
await client.close();
