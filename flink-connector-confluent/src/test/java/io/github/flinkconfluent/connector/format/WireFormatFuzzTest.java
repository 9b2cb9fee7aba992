package io.github.flinkconfluent.connector.format;

import io.github.flinkconfluent.connector.format.avro.AvroRegistryDeserializer;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.avro.AvroToSql;
import io.github.flinkconfluent.connector.format.json.JsonRegistryDeserializer;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.ProtobufMessageIndexes;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;

import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Feeds random and mutated payloads to every decoder: the only failure allowed is {@link
 * WireFormatException}, and no payload may make a decoder allocate beyond its own size (a huge
 * length prefix must not end in OutOfMemoryError).
 */
class WireFormatFuzzTest {

    private static final int PAYLOADS_PER_DECODER = 100_000;
    private static final long SEED = 0x5eed_f00dL;

    private interface Decoder {
        void decode(byte[] payload) throws WireFormatException;
    }

    @Test
    void avroDecoderRejectsBadBytesOnlyWithWireFormatException() {
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
        AvroRegistryDeserializer writerSchemas = new AvroRegistryDeserializer(registry, null);
        Set<WireFormatException.Reason> seen =
                fuzz("avro", writerSchemas::deserialize, seeds(GoldenVectors.AVRO));
        assertThat(seen)
                .contains(
                        WireFormatException.Reason.EMPTY_PAYLOAD,
                        WireFormatException.Reason.BAD_MAGIC_BYTE,
                        WireFormatException.Reason.TRUNCATED_HEADER,
                        WireFormatException.Reason.UNKNOWN_SCHEMA_ID,
                        WireFormatException.Reason.WRONG_SCHEMA_TYPE,
                        WireFormatException.Reason.TRUNCATED_BODY,
                        WireFormatException.Reason.MALFORMED_BODY);
    }

    @Test
    void avroDecoderWithReaderSchemaRejectsBadBytesOnlyWithWireFormatException() {
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
        Schema reader = new Schema.Parser().parse(GoldenVectors.load("avro-complex").schema());
        AvroRegistryDeserializer resolving = new AvroRegistryDeserializer(registry, reader);
        Set<WireFormatException.Reason> seen =
                fuzz("avro-resolving", resolving::deserialize, seeds(GoldenVectors.AVRO));
        assertThat(seen).contains(WireFormatException.Reason.INCOMPATIBLE_SCHEMA);
    }

    @Test
    void avroRowDecoderRejectsBadBytesOnlyWithWireFormatException() throws Exception {
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
        Set<WireFormatException.Reason> seen = EnumSet.noneOf(WireFormatException.Reason.class);
        for (String name : GoldenVectors.AVRO) {
            GoldenVectors golden = GoldenVectors.load(name);
            RowType rowType =
                    (RowType)
                            new AvroToSql(false)
                                    .toRowType(new Schema.Parser().parse(golden.schema()))
                                    .getLogicalType();
            AvroRowDataDecoder rows = new AvroRowDataDecoder(rowType, "record", () -> registry);
            rows.open();
            seen.addAll(
                    fuzz(
                            "avro-rows-" + name,
                            rows::decode,
                            List.of(golden.payload()),
                            PAYLOADS_PER_DECODER / GoldenVectors.AVRO.size()));
        }
        assertThat(seen)
                .contains(
                        WireFormatException.Reason.INCOMPATIBLE_SCHEMA,
                        WireFormatException.Reason.TRUNCATED_BODY,
                        WireFormatException.Reason.MALFORMED_BODY);
    }

    @Test
    void jsonDecoderRejectsBadBytesOnlyWithWireFormatException() {
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
        JsonRegistryDeserializer json = new JsonRegistryDeserializer(registry, true);
        Set<WireFormatException.Reason> seen =
                fuzz("json", json::deserialize, seeds(GoldenVectors.JSON));
        assertThat(seen)
                .contains(
                        WireFormatException.Reason.MALFORMED_BODY,
                        WireFormatException.Reason.SCHEMA_VIOLATION,
                        WireFormatException.Reason.WRONG_SCHEMA_TYPE);
    }

    @Test
    void protobufIndexDecoderRejectsBadBytesOnlyWithWireFormatException() {
        fuzz(
                "protobuf-indexes",
                payload -> {
                    int id = ConfluentWireFormat.readSchemaId(payload);
                    ProtobufMessageIndexes.decode(payload, ConfluentWireFormat.HEADER_LENGTH, id);
                },
                List.of(ConfluentWireFormat.frame(1, new byte[] {6, 2, 0, 4, 9}, 0, 5)));
    }

    @Test
    void hugeLengthPrefixesFailFastInsteadOfAllocating() throws Exception {
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
        AvroRegistryDeserializer avro = new AvroRegistryDeserializer(registry, null);
        int primitivesId = GoldenVectors.load("avro-primitives").schemaId();
        // boolean true, int 1, long 1, float, double, then a string of length ~2^62.
        byte[] body = {
            1,
            2,
            2,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            (byte) 0xfe,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            0x7f
        };
        byte[] payload = ConfluentWireFormat.frame(primitivesId, body, 0, body.length);
        try {
            avro.deserialize(payload);
            fail("a 2^62-byte string must not decode");
        } catch (WireFormatException e) {
            assertThat(e.reason()).isEqualTo(WireFormatException.Reason.MALFORMED_BODY);
            assertThat(e.getMessage()).contains("exceeds");
        }
    }

    private static List<byte[]> seeds(List<String> vectors) {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : vectors) {
            seeds.add(GoldenVectors.load(name).payload());
        }
        return seeds;
    }

    private static Set<WireFormatException.Reason> fuzz(
            String decoderName, Decoder decoder, List<byte[]> seeds) {
        return fuzz(decoderName, decoder, seeds, PAYLOADS_PER_DECODER);
    }

    private static Set<WireFormatException.Reason> fuzz(
            String decoderName, Decoder decoder, List<byte[]> seeds, int payloads) {
        Random random = new Random(SEED ^ decoderName.hashCode());
        Set<WireFormatException.Reason> reasons = EnumSet.noneOf(WireFormatException.Reason.class);
        int decoded = 0;
        for (int i = 0; i < payloads; i++) {
            byte[] payload = payload(random, seeds, i);
            try {
                decoder.decode(payload);
                decoded++;
            } catch (WireFormatException e) {
                reasons.add(e.reason());
            } catch (Throwable t) {
                throw new AssertionError(
                        decoderName
                                + " threw "
                                + t
                                + " instead of WireFormatException for payload "
                                + HexFormat.of().formatHex(payload),
                        t);
            }
        }
        // The mutations must leave some payloads valid, or the fuzzer tests only the header.
        assertThat(decoded).as("payloads that still decoded").isPositive();
        return reasons;
    }

    /** Random bytes, or a valid payload mutated in one of several ways. */
    private static byte[] payload(Random random, List<byte[]> seeds, int i) {
        byte[] seed = seeds.get(random.nextInt(seeds.size())).clone();
        switch (i % 8) {
            case 0:
                byte[] noise = new byte[random.nextInt(48)];
                random.nextBytes(noise);
                if (noise.length > 0 && random.nextBoolean()) {
                    noise[0] = 0;
                }
                return noise;
            case 1: // truncate
                return java.util.Arrays.copyOf(seed, random.nextInt(seed.length + 1));
            case 2: // flip a few bytes of the body
                for (int n = 1 + random.nextInt(3); n > 0 && seed.length > 5; n--) {
                    seed[5 + random.nextInt(seed.length - 5)] = (byte) random.nextInt(256);
                }
                return seed;
            case 3: // another (maybe unknown, maybe other-language) schema id
                ConfluentWireFormat.writeHeader(random.nextInt(12), seed, 0);
                return seed;
            case 4: // a huge varint in the body
                if (seed.length > 6) {
                    int at = 5 + random.nextInt(seed.length - 5);
                    byte[] huge = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
                    byte[] out = java.util.Arrays.copyOf(seed, seed.length + huge.length);
                    System.arraycopy(huge, 0, out, at, huge.length);
                    System.arraycopy(seed, at, out, at + huge.length, seed.length - at);
                    return out;
                }
                return seed;
            case 5: // extra random tail
                byte[] longer = java.util.Arrays.copyOf(seed, seed.length + random.nextInt(16));
                for (int k = seed.length; k < longer.length; k++) {
                    longer[k] = (byte) random.nextInt(256);
                }
                return longer;
            case 6: // a valid payload, unchanged
                return seed;
            default: // bad magic byte
                seed[0] = (byte) (1 + random.nextInt(255));
                return seed;
        }
    }
}
