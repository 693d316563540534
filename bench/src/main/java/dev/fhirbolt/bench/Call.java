package dev.fhirbolt.bench;

/**
 * One HTTP request a scenario wants sent: method, path below the server's base URL, optional JSON body
 * and the status that counts as success. Bodies are prepared up front so the load generator spends as
 * little CPU as possible on the shared machine.
 */
public record Call(String method, String path, byte[] body, int expectedStatus) {

    public static Call get(String path) {
        return new Call("GET", path, null, 200);
    }

    public static Call post(String path, byte[] json) {
        return new Call("POST", path, json, 201);
    }
}
