package dev.fhirbolt.validation.packages;

/**
 * A package that cannot be installed, with a message saying why, and the HTTP status that fits: 400 for what is
 * wrong with the package itself (a bad archive, no manifest, another FHIR version), 409 for what the server lacks (a
 * dependency not installed, or installed in another version).
 */
public final class PackageException extends RuntimeException {

    private final int status;

    public PackageException(String message) {
        this(400, message);
    }

    public PackageException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
