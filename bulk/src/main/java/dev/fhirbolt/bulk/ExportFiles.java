package dev.fhirbolt.bulk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * Where the NDJSON files of export jobs are kept: this server's disk ({@link LocalExportFiles}), or a store every
 * node of a cluster reads ({@link SharedExportFiles}). A runner writes a job's files into {@link #directory} and
 * publishes each one when it is complete; a download asks for a file on this node's disk.
 */
public interface ExportFiles {

    /** The directory on this node where a runner writes the job's files. */
    Path directory(String jobId);

    /** Makes a complete file of the job readable on every node (on one server there is nothing to do). */
    void publish(String jobId, String name) throws IOException;

    /** The file on this node's disk (brought here first when another node wrote it); empty when there is none. */
    Optional<Path> local(String jobId, String name) throws IOException;

    /** Removes the job's files: those named and whatever this node holds of the job. */
    void delete(String jobId, Collection<String> names);

    /** The jobs of which this node holds files (to remove those of jobs deleted through another node). */
    Collection<String> jobsHeld();
}
