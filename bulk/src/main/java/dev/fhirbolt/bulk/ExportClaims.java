package dev.fhirbolt.bulk;

import java.util.Optional;

/**
 * Which node runs each export job. On one server every job is the server's own ({@link #SINGLE}); in a cluster
 * ({@link ExportLeases}) the node that took the kick-off runs the job and renews its claim while it does, and another
 * node takes over a job whose claim has not been renewed for a while (its node died).
 */
public interface ExportClaims {

    /** This node takes the job (at kick-off). */
    void claim(String jobId);

    /** Whether an unfinished job found at start-up is this node's to resume. */
    boolean resumesHere(String jobId);

    /** While this node runs the job: renews its claim with the progress; false when another node has taken it. */
    boolean renew(String jobId, String progress);

    /** What a poller on this node is told about a job another node runs; empty when no node claims it. */
    Optional<String> progress(String jobId);

    /** Whether this node now takes over an unfinished job it does not run (its claim went stale); at most one does. */
    boolean takeOver(String jobId);

    /** Forgets the job's claim (the job was cancelled or deleted). */
    void release(String jobId);

    /** Whether other nodes run jobs too (then claims are renewed and watched). */
    boolean shared();

    /** One server: every job is its own. */
    ExportClaims SINGLE = new ExportClaims() {
        @Override
        public void claim(String jobId) {
        }

        @Override
        public boolean resumesHere(String jobId) {
            return true;
        }

        @Override
        public boolean renew(String jobId, String progress) {
            return true;
        }

        @Override
        public Optional<String> progress(String jobId) {
            return Optional.empty();
        }

        @Override
        public boolean takeOver(String jobId) {
            return false;
        }

        @Override
        public void release(String jobId) {
        }

        @Override
        public boolean shared() {
            return false;
        }
    };
}
