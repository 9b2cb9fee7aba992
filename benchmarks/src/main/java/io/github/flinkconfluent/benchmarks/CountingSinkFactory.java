package io.github.flinkconfluent.benchmarks;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@code blackhole} that counts: the sink of {@link EndToEndThroughput}'s read jobs.
 *
 * <p>Flink's {@code blackhole} drops rows without a trace, so a read that lost or doubled rows
 * would look like a fast one. This sink drops them as cheaply (one counter increment per row) and
 * keeps the count, per {@code counter} name, in a static map: the jobs run in a MiniCluster inside
 * the harness's JVM, so the harness reads the count after the job ends.
 */
public final class CountingSinkFactory implements DynamicTableSinkFactory {

    static final String IDENTIFIER = "throughput-count";

    static final ConfigOption<String> COUNTER =
            ConfigOptions.key("counter").stringType().noDefaultValue();

    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    /** Rows the sinks named {@code counter} received so far (0 if none). */
    static long count(String counter) {
        LongAdder adder = COUNTS.get(counter);
        return adder == null ? 0 : adder.sum();
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(COUNTER);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        return new CountingTableSink(helper.getOptions().get(COUNTER));
    }

    private static final class CountingTableSink implements DynamicTableSink {

        private final String counter;

        CountingTableSink(String counter) {
            this.counter = counter;
        }

        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
            return ChangelogMode.insertOnly();
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            return SinkV2Provider.of(new CountingSink(counter));
        }

        @Override
        public DynamicTableSink copy() {
            return new CountingTableSink(counter);
        }

        @Override
        public String asSummaryString() {
            return IDENTIFIER;
        }
    }

    private static final class CountingSink implements Sink<RowData> {

        private static final long serialVersionUID = 1L;

        private final String counter;

        CountingSink(String counter) {
            this.counter = counter;
        }

        @Override
        public SinkWriter<RowData> createWriter(WriterInitContext context) {
            LongAdder adder = COUNTS.computeIfAbsent(counter, name -> new LongAdder());
            return new SinkWriter<>() {
                @Override
                public void write(RowData element, Context context) {
                    adder.increment();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
