package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.connector.format.avro.AvroRegistryDeserializer;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.e2e.FaultSchedule.Fault;
import io.github.flinkconfluent.e2e.FaultSchedule.FaultKind;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A randomized fault campaign against the exactly-once promise: a real standalone Flink cluster
 * runs {@link CampaignCopyJob} (registry Avro, {@code 'confluent'} source into an {@code
 * exactly_once} {@code 'confluent'} sink) against a real KRaft broker while a seeded schedule kills
 * TaskManagers, restarts, kills and freezes the broker, and keeps the job down longer than its
 * transaction timeout. A checker then reads the output with {@code read_committed} and holds it
 * against the input.
 *
 * <p>Why a campaign and not one test per fault: the defects that lose data silently live in the
 * gaps between steps (a checkpoint completed but not yet committed, a commit retried after the
 * broker came back, a restore after the broker aborted a transaction). A fixed test hits one
 * moment; seeded random schedules hit many, and every trial prints its seed so a bad one replays
 * with {@code -Dcampaign.seed=<seed> -Dcampaign.trials=1}.
 *
 * <p>Every moment is an event, never a time: faults fire after the k-th checkpoint completed since
 * the previous fault (read from the REST API), input is fed one batch per completed checkpoint, a
 * paused broker resumes once the job noticed (a checkpoint failed or the job restarted), an outage
 * ends once the broker aborted every open transaction, and the trial ends when the consumer group
 * holds the input's end offsets and three more checkpoints completed (or the job reached a terminal
 * state). The bounds on those waits only catch a hung trial.
 *
 * <p>A trial is {@link Verdict#EXACT} (every input record exactly once) or {@link
 * Verdict#LOUD_FAILURE} (the job FAILED and its exceptions say "Data loss", or "Data invisible" for
 * records a hanging transaction hides); anything else fails the campaign. The JobManager is not
 * restarted: this standalone cluster has no high-availability services, so a new JobManager would
 * not know the job at all (that is Flink's HA setup, not the connector's concern).
 *
 * <p>This class runs the trials and keeps the cluster's TaskManagers; the parts of a trial are
 * classes of their own: {@link FaultSchedule} draws the faults, {@link JobProbe} and {@link
 * BrokerProbe} read the job and the broker, {@link CampaignFeeder} feeds the input, {@link Verdict}
 * judges, {@link TrialOutcome} counts and {@link CampaignReport} prints the table.
 */
final class FaultCampaign implements AutoCloseable {

    static final String TRANSACTION_TIMEOUT_SHORT = "10 s";
    static final String TRANSACTION_TIMEOUT_DEFAULT = "2 min";

    /** Clients' request.timeout.ms in the job: a paused broker outlasts it. */
    static final String REQUEST_TIMEOUT_MS = "5000";

    /** The bound on every awaited event: it only catches a hung trial. */
    static final Duration STEP_BOUND = Duration.ofMinutes(3);

    /** TaskManagers kept running: the job's two subtasks spread over both, one slot each free. */
    static final int TASK_MANAGERS = 2;

    private final FlinkCluster cluster;
    private final ApicurioRegistry registry;
    private final int maxBatches;
    private final int batchSize;
    private final AtomicLong trialCounter = new AtomicLong();

    /** The TaskManagers this campaign started; replacements start in the background. */
    private final List<FlinkProcess> taskManagers = new CopyOnWriteArrayList<>();

    /** One thread, so the cluster's own TaskManager list is only ever changed by it. */
    private final ExecutorService starter =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread thread = new Thread(r, "campaign-taskmanager-starter");
                        thread.setDaemon(true);
                        return thread;
                    });

    private String storedJar;

    /** The fault kinds schedules choose from. */
    private final List<FaultKind> kinds;

    /**
     * A campaign on {@code cluster}, which must not be started yet: the campaign starts its
     * JobManager and TaskManagers.
     */
    FaultCampaign(
            FlinkCluster cluster,
            ApicurioRegistry registry,
            int maxBatches,
            int batchSize,
            List<FaultKind> kinds) {
        this.kinds = List.copyOf(kinds);
        this.cluster = cluster;
        this.registry = registry;
        this.maxBatches = maxBatches;
        this.batchSize = batchSize;
        cluster.start();
        taskManagers.addAll(cluster.taskManagers());
        replenishTaskManagers();
        awaitTaskManagers();
    }

    /** Starts, in the background, as many TaskManagers as were killed. */
    private void replenishTaskManagers() {
        long running = taskManagers.stream().filter(FlinkProcess::isRunning).count();
        for (long i = running; i < TASK_MANAGERS; i++) {
            starter.submit(() -> taskManagers.add(cluster.startTaskManager()));
        }
    }

    /** Waits until every TaskManager start asked for so far has finished. */
    private void awaitTaskManagers() {
        try {
            starter.submit(() -> {}).get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("TaskManagers did not start", e);
        }
    }

    @Override
    public void close() {
        starter.shutdownNow();
    }

    /**
     * The cluster settings a campaign needs: restarts that outlast a few faults, but not a loop.
     */
    static Map<String, String> clusterConfig() {
        return Map.of(
                "restart-strategy.type", "failure-rate",
                // A standalone cluster without TaskManagers fails each restart within a second
                // (no resources), so an outage of 30 s costs about 30 failures.
                "restart-strategy.failure-rate.max-failures-per-interval", "60",
                "restart-strategy.failure-rate.failure-rate-interval", "2 min",
                "restart-strategy.failure-rate.delay", "1 s",
                // One subtask per TaskManager, so a killed TaskManager takes part of the job.
                "taskmanager.load-balance.mode", "SLOTS",
                // The REST API must show checkpoints, states and restarts as they happen.
                "rest.cache.checkpoint-statistics.timeout", "0 ms",
                "rest.cache.execution-graph.timeout", "0 ms",
                "web.exception-history-size", "1000");
    }

    /** Runs one trial of the schedule of {@code seed}; never throws for what the job does. */
    TrialOutcome run(long seed) {
        long started = System.nanoTime();
        List<Fault> faults = FaultSchedule.schedule(seed, kinds);
        boolean shortTimeout =
                faults.stream()
                        .anyMatch(f -> f.kind() == FaultKind.OUTAGE_BEYOND_TRANSACTION_TIMEOUT);
        String name = "campaign-" + Long.toUnsignedString(seed, 36) + "-" + trialCounter.get();
        trialCounter.incrementAndGet();
        List<FaultKind> injected = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Random random = new Random(~seed); // choices while injecting, apart from the schedule
        KafkaBroker kafka =
                new KafkaBroker(
                        Map.of(
                                // Timed-out transactions are aborted within a second, not ten.
                                "transaction.abort.timed.out.transaction.cleanup.interval.ms",
                                "1000"));
        CampaignFeeder feeder = null;
        String jobId = null;
        BrokerProbe brokerToClose = null;
        try {
            kafka.start();
            BrokerProbe broker = new BrokerProbe(kafka);
            brokerToClose = broker;
            String input = name + "-in";
            String output = name + "-out";
            kafka.createTopic(input, 2);
            kafka.createTopic(output, 2);
            jobId =
                    submit(
                            kafka.bootstrapServers(),
                            registry.url(),
                            input,
                            output,
                            name + "-group",
                            shortTimeout ? TRANSACTION_TIMEOUT_SHORT : TRANSACTION_TIMEOUT_DEFAULT,
                            REQUEST_TIMEOUT_MS);
            JobProbe job = new JobProbe(cluster, jobId);
            Poll.until(
                    "job " + jobId + " to run",
                    STEP_BOUND,
                    () -> job.state().equals("RUNNING") || JobProbe.TERMINAL.contains(job.state()));

            log(seed, started, "job " + jobId + " " + job.state() + ", schedule " + faults);
            feeder =
                    new CampaignFeeder(
                            kafka, input, job, this::registryClient, maxBatches, batchSize);
            feeder.start();

            for (Fault fault : faults) {
                long base = job.completedCheckpoints();
                Poll.until(
                        fault.afterCheckpoints() + " checkpoints before " + fault.kind(),
                        STEP_BOUND,
                        () ->
                                job.completedCheckpoints() >= base + fault.afterCheckpoints()
                                        || JobProbe.TERMINAL.contains(job.state()));
                if (fault.inTransaction()) {
                    try {
                        Poll.until(
                                "an open transaction before " + fault,
                                Duration.ofSeconds(30),
                                () ->
                                        !broker.openTransactions().isEmpty()
                                                || JobProbe.TERMINAL.contains(job.state()));
                    } catch (AssertionError e) {
                        notes.add("no open transaction for " + fault);
                    }
                }
                if (JobProbe.TERMINAL.contains(job.state())) {
                    notes.add("job " + job.state() + " before " + fault);
                    break;
                }
                log(
                        seed,
                        started,
                        "injecting "
                                + fault
                                + " at checkpoint "
                                + (base + fault.afterCheckpoints()));
                inject(fault.kind(), kafka, broker, job, random, notes);
                injected.add(fault.kind());
                log(seed, started, "injected " + fault + ", job " + job.state());
            }

            feeder.faultsDone();
            CampaignFeeder running = feeder;
            Poll.until("the input to be fed", STEP_BOUND, () -> !running.isAlive());
            if (running.failure() != null) {
                return TrialOutcome.of(
                        seed,
                        faults,
                        injected,
                        running.produced(),
                        List.of(),
                        job.state(),
                        job.restarts(),
                        Verdict.HARNESS_ERROR,
                        "feeding the input failed: " + running.failure(),
                        started);
            }

            log(seed, started, running.produced().size() + " records fed, awaiting the end");
            boolean settled = awaitSettled(broker, input, name + "-group", job);
            log(seed, started, (settled ? "settled" : "did not settle") + ", job " + job.state());
            String state = job.state();
            long restarts = job.restarts();
            List<Integer> written = readOrderIds(kafka, output);
            // "Data invisible": committed records behind a transaction the broker left open.
            boolean dataLoss =
                    state.equals("FAILED")
                            && (job.exceptions().contains("Data loss")
                                    || job.exceptions().contains("Data invisible"));
            if (state.equals("FAILED") && !dataLoss) {
                notes.add("failure: " + firstLine(job.rootException()));
            }
            Verdict verdict =
                    Verdict.classify(running.produced(), written, state, dataLoss, settled);
            if (verdict == Verdict.SILENT_LOSS || verdict == Verdict.STUCK) {
                List<String> hanging = broker.hangingTransactions(output);
                if (!hanging.isEmpty()) {
                    verdict = Verdict.HANGING_TRANSACTION;
                    notes.add("hanging: " + hanging);
                }
            }
            return TrialOutcome.of(
                    seed,
                    faults,
                    injected,
                    running.produced(),
                    written,
                    state,
                    restarts,
                    verdict,
                    String.join("; ", notes),
                    started);
        } catch (Exception | AssertionError e) {
            System.out.println("Fault campaign trial " + seed + ": harness error");
            e.printStackTrace(System.out);
            notes.add(firstLine(e.toString()));
            return new TrialOutcome(
                    seed,
                    faults,
                    injected,
                    feeder == null ? 0 : feeder.produced().size(),
                    -1,
                    0,
                    0,
                    "?",
                    -1,
                    Verdict.HARNESS_ERROR,
                    String.join("; ", notes),
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            if (feeder != null) {
                feeder.stopFeeding();
            }
            kafka.resume();
            cleanUp(jobId, seed);
            if (brokerToClose != null) {
                brokerToClose.close();
            }
            kafka.close();
        }
    }

    private static void log(long seed, long started, String message) {
        System.out.printf(
                Locale.ROOT,
                "[campaign seed %d +%.1fs] %s%n",
                seed,
                (System.nanoTime() - started) / 1e9,
                message);
    }

    private void inject(
            FaultKind kind,
            KafkaBroker kafka,
            BrokerProbe broker,
            JobProbe job,
            Random random,
            List<String> notes) {
        switch (kind) {
            case TASK_MANAGER_KILL -> {
                List<FlinkProcess> running =
                        taskManagers.stream().filter(FlinkProcess::isRunning).toList();
                running.get(random.nextInt(running.size())).kill();
                replenishTaskManagers();
            }
            case BROKER_RESTART -> {
                kafka.stop();
                kafka.start();
            }
            case BROKER_KILL -> {
                kafka.kill();
                kafka.start();
            }
            case BROKER_PAUSE -> {
                long failed = job.failedCheckpoints();
                long restarts = job.restarts();
                long completed = job.completedCheckpoints();
                kafka.pause();
                try {
                    // A job with nothing to write never needs the broker: the feeder is blocked
                    // by the pause too, so once the job has caught up its transactions are empty
                    // and its checkpoints keep completing. Ten of them (a checkpoint a second)
                    // outlast the clients' 5 s request timeout and the 10 s checkpoint timeout.
                    Poll.until(
                            "the job to notice the paused broker",
                            STEP_BOUND,
                            () ->
                                    job.failedCheckpoints() > failed
                                            || job.restarts() > restarts
                                            || job.completedCheckpoints() >= completed + 10
                                            || JobProbe.TERMINAL.contains(job.state()));
                    if (job.failedCheckpoints() == failed && job.restarts() == restarts) {
                        notes.add("pause: the idle job completed checkpoints without the broker");
                    }
                } finally {
                    kafka.resume();
                }
            }
            case OUTAGE_BEYOND_TRANSACTION_TIMEOUT -> {
                killTaskManagers();
                int open = broker.openTransactions().size();
                Poll.until(
                        "the broker to abort the job's open transactions",
                        STEP_BOUND,
                        () -> broker.openTransactions().isEmpty(),
                        () -> "still open: " + broker.openTransactions());
                notes.add("outage: " + open + " open transaction(s) aborted by the broker");
                replenishTaskManagers();
            }
        }
    }

    private void killTaskManagers() {
        for (FlinkProcess taskManager : taskManagers) {
            if (taskManager.isRunning()) {
                taskManager.kill();
            }
        }
    }

    /**
     * Waits until the job consumed all input and committed it (the group holds the input's end
     * offsets, then three more checkpoints completed) or reached a terminal state. False when
     * neither happened within the bound.
     */
    private boolean awaitSettled(BrokerProbe broker, String input, String group, JobProbe job) {
        AtomicLong consumedAt = new AtomicLong(-1);
        try {
            Poll.until(
                    "the job to consume and commit all input, or to end",
                    STEP_BOUND,
                    () -> {
                        String state = job.state();
                        if (JobProbe.TERMINAL.contains(state)) {
                            return true;
                        }
                        if (!state.equals("RUNNING")) {
                            return false;
                        }
                        long completed = job.completedCheckpoints();
                        if (consumedAt.get() < 0) {
                            if (broker.groupAtEnd(input, group)) {
                                consumedAt.set(completed);
                            }
                            return false;
                        }
                        return completed >= consumedAt.get() + 3;
                    });
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    private List<Integer> readOrderIds(KafkaBroker kafka, String topic) throws WireFormatException {
        AvroRegistryDeserializer deserializer =
                new AvroRegistryDeserializer(registryClient(), null);
        List<Integer> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(topic)) {
            GenericRecord row = (GenericRecord) deserializer.deserialize(record.value());
            ids.add((Integer) row.get("order_id"));
        }
        return ids;
    }

    private SchemaRegistryClient registryClient() {
        return SchemaRegistryClients.create(SchemaRegistryConfig.builder(registry.url()).build());
    }

    /** Cancels the job if it still runs and leaves one TaskManager with free slots. */
    private void cleanUp(String jobId, long seed) {
        if (jobId != null) {
            JobProbe job = new JobProbe(cluster, jobId);
            long cancelStarted = System.nanoTime();
            try {
                if (!JobProbe.TERMINAL.contains(job.state())) {
                    cluster.cancel(jobId);
                    Poll.until(
                            "job " + jobId + " to be canceled",
                            Duration.ofMinutes(2),
                            () -> JobProbe.TERMINAL.contains(job.state()));
                    log(seed, cancelStarted, "job " + job.state());
                }
            } catch (RuntimeException | AssertionError | IOException e) {
                log(seed, cancelStarted, "cancel did not finish: " + firstLine(e.toString()));
                killTaskManagers();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        replenishTaskManagers();
        awaitTaskManagers();
    }

    /**
     * Uploads this module's jar once and runs {@link CampaignCopyJob}; returns the job id. The REST
     * calls are the cluster's, shared with the other end-to-end tests.
     */
    private String submit(String... programArgs) throws IOException {
        try {
            if (storedJar == null) {
                storedJar = cluster.uploadJar(Path.of(System.getProperty("job.jar")));
            }
            return cluster.runJar(storedJar, CampaignCopyJob.class.getName(), List.of(programArgs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String text) {
        String line = text == null ? "" : text.lines().findFirst().orElse("");
        return line.length() <= 240 ? line : line.substring(0, 240) + "...";
    }
}
