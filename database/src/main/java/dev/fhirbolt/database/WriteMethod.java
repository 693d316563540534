package dev.fhirbolt.database;

/** How a version came to be; history answers it as Bundle.entry.request.method. */
public enum WriteMethod {
    CREATE("POST"),
    UPDATE("PUT"),
    PATCH("PATCH"),
    DELETE("DELETE");

    private final String httpMethod;

    WriteMethod(String httpMethod) {
        this.httpMethod = httpMethod;
    }

    public String httpMethod() {
        return httpMethod;
    }
}
