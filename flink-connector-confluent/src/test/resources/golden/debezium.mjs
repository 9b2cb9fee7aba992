// Generates golden Debezium change events in the Confluent wire format, using
// Confluent's own Node.js serializers from the npm package
// @confluentinc/schemaregistry (the version pinned in package.json).
//
// Usage (from this directory):
//   npm install
//   node debezium.mjs
//
// Writes debezium-avro-orders.json and debezium-json-orders.json: one
// sequence of change events of a table `inventory.orders (id, customer,
// quantity)` in the shape Debezium's Postgres connector writes them
// (io.confluent.connect.avro.AvroConverter / JsonSchemaConverter): an
// `Envelope` with `before` and `after` as nullable `Value` records, a
// `source` record, `op`, a nullable `ts_ms` and a nullable `transaction`;
// the record key is a `Key` record holding the primary key; a delete is
// followed by a tombstone (a record with the key and a null value).
//
// Every event is serialized and read back with the package's own
// deserializer; the script fails if the round trip or the frame header does
// not match. Schemas are registered in an in-memory MockClient, in a fixed
// order, so the ids are deterministic (tests re-frame the bodies with the ids
// their own registry assigns).

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

const TOPIC = 'dbserver1.inventory.orders';

// ---------------------------------------------------------------------------
// Avro schemas, as Debezium 2.x with AvroConverter registers them
// ---------------------------------------------------------------------------

const AVRO_KEY = {
  type: 'record',
  name: 'Key',
  namespace: TOPIC,
  fields: [{ name: 'id', type: 'int' }],
  'connect.name': `${TOPIC}.Key`,
};

const AVRO_VALUE_RECORD = {
  type: 'record',
  name: 'Value',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'customer', type: 'string' },
    { name: 'quantity', type: ['null', 'int'], default: null },
  ],
  'connect.name': `${TOPIC}.Value`,
};

const AVRO_SOURCE = {
  type: 'record',
  name: 'Source',
  namespace: 'io.debezium.connector.postgresql',
  fields: [
    { name: 'version', type: 'string' },
    { name: 'connector', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'ts_ms', type: 'long' },
    {
      name: 'snapshot',
      type: [
        {
          type: 'string',
          'connect.version': 1,
          'connect.parameters': { allowed: 'true,last,false,incremental' },
          'connect.default': 'false',
          'connect.name': 'io.debezium.data.Enum',
        },
        'null',
      ],
      default: 'false',
    },
    { name: 'db', type: 'string' },
    { name: 'sequence', type: ['null', 'string'], default: null },
    { name: 'schema', type: 'string' },
    { name: 'table', type: 'string' },
    { name: 'txId', type: ['null', 'long'], default: null },
    { name: 'lsn', type: ['null', 'long'], default: null },
    { name: 'xmin', type: ['null', 'long'], default: null },
  ],
  'connect.name': 'io.debezium.connector.postgresql.Source',
};

const AVRO_ENVELOPE = {
  type: 'record',
  name: 'Envelope',
  namespace: TOPIC,
  fields: [
    { name: 'before', type: ['null', AVRO_VALUE_RECORD], default: null },
    { name: 'after', type: ['null', 'Value'], default: null },
    { name: 'source', type: AVRO_SOURCE },
    { name: 'op', type: 'string' },
    { name: 'ts_ms', type: ['null', 'long'], default: null },
    {
      name: 'transaction',
      type: [
        'null',
        {
          type: 'record',
          name: 'block',
          namespace: 'event',
          fields: [
            { name: 'id', type: 'string' },
            { name: 'total_order', type: 'long' },
            { name: 'data_collection_order', type: 'long' },
          ],
          'connect.version': 1,
          'connect.name': 'event.block',
        },
      ],
      default: null,
    },
  ],
  'connect.version': 1,
  'connect.name': `${TOPIC}.Envelope`,
};

// ---------------------------------------------------------------------------
// JSON schemas, as Debezium with JsonSchemaConverter registers them
// ---------------------------------------------------------------------------

const nullable = (schema) => ({ oneOf: [{ type: 'null' }, schema] });

const JSON_VALUE_RECORD = {
  type: 'object',
  title: `${TOPIC}.Value`,
  properties: {
    id: { type: 'integer', 'connect.index': 0, 'connect.type': 'int32' },
    customer: { type: 'string', 'connect.index': 1 },
    quantity: { 'connect.index': 2, ...nullable({ type: 'integer', 'connect.type': 'int32' }) },
  },
  required: ['id', 'customer'],
};

const JSON_KEY = {
  type: 'object',
  title: `${TOPIC}.Key`,
  properties: { id: { type: 'integer', 'connect.index': 0, 'connect.type': 'int32' } },
  required: ['id'],
};

const JSON_ENVELOPE = {
  type: 'object',
  title: `${TOPIC}.Envelope`,
  properties: {
    before: { 'connect.index': 0, ...nullable(JSON_VALUE_RECORD) },
    after: { 'connect.index': 1, ...nullable(JSON_VALUE_RECORD) },
    source: {
      type: 'object',
      title: 'io.debezium.connector.postgresql.Source',
      'connect.index': 2,
      properties: {
        version: { type: 'string', 'connect.index': 0 },
        connector: { type: 'string', 'connect.index': 1 },
        name: { type: 'string', 'connect.index': 2 },
        ts_ms: { type: 'integer', 'connect.index': 3, 'connect.type': 'int64' },
        snapshot: { 'connect.index': 4, ...nullable({ type: 'string' }) },
        db: { type: 'string', 'connect.index': 5 },
        sequence: { 'connect.index': 6, ...nullable({ type: 'string' }) },
        schema: { type: 'string', 'connect.index': 7 },
        table: { type: 'string', 'connect.index': 8 },
        txId: { 'connect.index': 9, ...nullable({ type: 'integer', 'connect.type': 'int64' }) },
        lsn: { 'connect.index': 10, ...nullable({ type: 'integer', 'connect.type': 'int64' }) },
        xmin: { 'connect.index': 11, ...nullable({ type: 'integer', 'connect.type': 'int64' }) },
      },
      required: ['version', 'connector', 'name', 'ts_ms', 'db', 'schema', 'table'],
    },
    op: { type: 'string', 'connect.index': 3 },
    ts_ms: { 'connect.index': 4, ...nullable({ type: 'integer', 'connect.type': 'int64' }) },
    transaction: {
      'connect.index': 5,
      ...nullable({
        type: 'object',
        title: 'event.block',
        properties: {
          id: { type: 'string', 'connect.index': 0 },
          total_order: { type: 'integer', 'connect.index': 1, 'connect.type': 'int64' },
          data_collection_order: { type: 'integer', 'connect.index': 2, 'connect.type': 'int64' },
        },
        required: ['id', 'total_order', 'data_collection_order'],
      }),
    },
  },
  required: ['source', 'op'],
};

// ---------------------------------------------------------------------------
// The change events: a snapshot, then a live transaction log
// ---------------------------------------------------------------------------

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0, 0);

const source = (i, snapshot) => ({
  version: '2.7.3.Final',
  connector: 'postgresql',
  name: 'dbserver1',
  ts_ms: T0 + i * 1000,
  snapshot: snapshot,
  db: 'inventory_db',
  sequence: null,
  schema: 'inventory',
  table: 'orders',
  txId: snapshot === 'false' ? 700 + i : null,
  lsn: snapshot === 'false' ? 33_000_000 + i * 100 : null,
  xmin: null,
});

const row = (id, customer, quantity) => ({ id, customer, quantity });

// Each event: the primary key, and the value (null: a tombstone).
const EVENTS = [
  { note: 'snapshot read of order 1', key: 1, value: { op: 'r', before: null, after: row(1, 'alice', 2), snapshot: 'true' } },
  { note: 'snapshot read of order 2', key: 2, value: { op: 'r', before: null, after: row(2, 'bob', 5), snapshot: 'last' } },
  { note: 'insert of order 3', key: 3, value: { op: 'c', before: null, after: row(3, 'carol', 1), snapshot: 'false' } },
  { note: 'update of order 1 with its before image (REPLICA IDENTITY FULL)', key: 1, value: { op: 'u', before: row(1, 'alice', 2), after: row(1, 'alice', 7), snapshot: 'false' } },
  { note: 'delete of order 2', key: 2, value: { op: 'd', before: row(2, 'bob', 5), after: null, snapshot: 'false' } },
  { note: 'tombstone of order 2', key: 2, value: null },
  { note: 'insert of order 4 with a null quantity', key: 4, value: { op: 'c', before: null, after: row(4, 'dave', null), snapshot: 'false' } },
  { note: 'update of order 3 without before image (REPLICA IDENTITY DEFAULT)', key: 3, value: { op: 'u', before: null, after: row(3, 'carol', 4), snapshot: 'false' } },
  { note: 'update of order 4', key: 4, value: { op: 'u', before: row(4, 'dave', null), after: row(4, 'dave', 3), snapshot: 'false' } },
];

// Final state: order 1 (alice, 7), order 3 (carol, 4), order 4 (dave, 3).
const FINAL = [row(1, 'alice', 7), row(3, 'carol', 4), row(4, 'dave', 3)];

const envelope = (i, v) => ({
  before: v.before,
  after: v.after,
  source: source(i, v.snapshot),
  op: v.op,
  ts_ms: T0 + i * 1000 + 250,
  transaction: null,
});

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

const client = SchemaRegistryClient.newClient({ baseURLs: ['mock://debezium'] });
const serializerConf = {
  autoRegisterSchemas: false,
  useLatestVersion: true,
  schemaIdSerializer: PrefixSchemaIdSerializer,
};

async function generate(kind, keySchema, valueSchema) {
  const schemaType = kind === 'avro' ? 'AVRO' : 'JSON';
  const topic = `${TOPIC}.${kind}`;
  const keySubject = `${topic}-key`;
  const valueSubject = `${topic}-value`;
  const keySchemaText = JSON.stringify(keySchema);
  const valueSchemaText = JSON.stringify(valueSchema);
  const keyId = await client.register(keySubject, { schemaType, schema: keySchemaText });
  const valueId = await client.register(valueSubject, { schemaType, schema: valueSchemaText });

  const make = (serde) =>
    kind === 'avro'
      ? new AvroSerializer(client, serde, serializerConf)
      : new JsonSerializer(client, serde, { ...serializerConf, validate: true });
  const read = (serde) =>
    kind === 'avro'
      ? new AvroDeserializer(client, serde, {})
      : new JsonDeserializer(client, serde, { validate: true });
  const keySer = make(SerdeType.KEY);
  const valueSer = make(SerdeType.VALUE);
  const keyDeser = read(SerdeType.KEY);
  const valueDeser = read(SerdeType.VALUE);

  const events = [];
  for (let i = 0; i < EVENTS.length; i++) {
    const e = EVENTS[i];
    const key = { id: e.key };
    const keyBytes = await keySer.serialize(topic, key);
    assert.equal(keyBytes[0], 0);
    assert.equal(keyBytes.readInt32BE(1), keyId);
    assert.deepStrictEqual(toJsonValue(await keyDeser.deserialize(topic, keyBytes)), key);
    let value = null;
    let valueHex = null;
    if (e.value !== null) {
      value = envelope(i, e.value);
      const bytes = await valueSer.serialize(topic, value);
      assert.equal(bytes[0], 0, `${kind} event ${i}: magic byte`);
      assert.equal(bytes.readInt32BE(1), valueId, `${kind} event ${i}: schema id in frame`);
      const decoded = await valueDeser.deserialize(topic, bytes);
      assert.deepStrictEqual(toJsonValue(decoded), toJsonValue(value), `${kind} event ${i}: round trip`);
      valueHex = bytes.toString('hex');
    }
    events.push({ note: e.note, key, keyHex: keyBytes.toString('hex'), value, valueHex });
  }
  const out = {
    description:
      `Debezium change events of table inventory.orders (Postgres connector shape) serialized by ` +
      `@confluentinc/schemaregistry ${PKG_VERSION} ${kind === 'avro' ? 'AvroSerializer' : 'JsonSerializer'}; ` +
      `valueHex null is a tombstone. finalState is the table after all events.`,
    schemaType,
    keySubject,
    keySchema: keySchemaText,
    keySchemaId: keyId,
    valueSubject,
    valueSchema: valueSchemaText,
    valueSchemaId: valueId,
    events,
    finalState: FINAL,
  };
  const file = join(OUT_DIR, `debezium-${kind}-orders.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n', 'utf8');
  console.log(`wrote ${file} (key id ${keyId}, value id ${valueId}, ${events.length} events, round trips OK)`);
}

console.log(`@confluentinc/schemaregistry ${PKG_VERSION}`);
await generate('avro', AVRO_KEY, AVRO_ENVELOPE);
// The package validates JSON Schemas with a strict ajv, which refuses Kafka Connect's own
// annotations ("connect.index", "connect.type"); they carry no validation meaning, so the JSON
// schemas are registered without them.
const withoutConnectKeywords = (v) => {
  if (Array.isArray(v)) return v.map(withoutConnectKeywords);
  if (v !== null && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v)) if (!k.startsWith('connect.')) out[k] = withoutConnectKeywords(v[k]);
    return out;
  }
  return v;
};
await generate('json', withoutConnectKeywords(JSON_KEY), withoutConnectKeywords(JSON_ENVELOPE));
await client.close();
