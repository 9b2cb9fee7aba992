package io.github.flinkconfluent.e2e;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Set;

/**
 * The job of a {@link FaultCampaign} trial as the REST API shows it; every read tolerates a
 * JobManager that is busy.
 *
 * <p>Why a probe of its own: every moment of a trial is an event read from here (completed and
 * failed checkpoints, the state, the restarts), and a read that fails while the cluster is under a
 * fault must answer "unknown" rather than end the trial.
 */
final class JobProbe {

    /** The job states after which nothing changes any more. */
    static final Set<String> TERMINAL = Set.of("FAILED", "CANCELED", "FINISHED");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FlinkCluster cluster;
    private final String jobId;

    JobProbe(FlinkCluster cluster, String jobId) {
        this.cluster = cluster;
        this.jobId = jobId;
    }

    String state() {
        JsonNode job = read("/jobs/" + jobId);
        return job == null ? "?" : job.path("state").asText("?");
    }

    long completedCheckpoints() {
        JsonNode checkpoints = read("/jobs/" + jobId + "/checkpoints");
        return checkpoints == null ? -1 : checkpoints.path("counts").path("completed").asLong();
    }

    long failedCheckpoints() {
        JsonNode checkpoints = read("/jobs/" + jobId + "/checkpoints");
        return checkpoints == null ? -1 : checkpoints.path("counts").path("failed").asLong();
    }

    /** Failures the job went through (its exception history), each followed by a restart. */
    long restarts() {
        JsonNode exceptions = read("/jobs/" + jobId + "/exceptions?maxExceptions=1000");
        if (exceptions == null) {
            return -1;
        }
        return exceptions.path("exceptionHistory").path("entries").size();
    }

    String exceptions() {
        JsonNode exceptions = read("/jobs/" + jobId + "/exceptions");
        return exceptions == null ? "" : exceptions.toString();
    }

    String rootException() {
        JsonNode exceptions = read("/jobs/" + jobId + "/exceptions");
        if (exceptions == null) {
            return "";
        }
        JsonNode entries = exceptions.path("exceptionHistory").path("entries");
        if (entries.isArray() && !entries.isEmpty()) {
            return entries.get(0).path("stacktrace").asText();
        }
        return exceptions.path("root-exception").asText();
    }

    private JsonNode read(String path) {
        try {
            return JSON.readTree(cluster.get(path));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
