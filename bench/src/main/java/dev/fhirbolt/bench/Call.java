package dev.fhirbolt.bench;

/**
 * One HTTP request a scenario wants sent: method, path below the server's base URL, optional JSON body, the status
 * that counts as success, an optional bearer token (servers with SMART security) and one optional extra header. Bodies are prepared up front so
 * the load generator spends as little CPU as possible on the shared machine.
 */
public record Call(String method, String path, byte[] body, int expectedStatus, String bearer, String header) {

    public Call(String method, String path, byte[] body, int expectedStatus) {
        this(method, path, body, expectedStatus, null, null);
    }

    public Call(String method, String path, byte[] body, int expectedStatus, String bearer) {
        this(method, path, body, expectedStatus, bearer, null);
    }

    public static Call get(String path) {
        return new Call("GET", path, null, 200);
    }

    public static Call post(String path, byte[] json) {
        return new Call("POST", path, json, 201);
    }

    /** The same request sent with {@code Authorization: Bearer token}. */
    public Call withBearer(String token) {
        return new Call(method, path, body, expectedStatus, token, header);
    }

    /** The same request sent with one more header, given as {@code Name: value} (null: none). */
    public Call withHeader(String nameAndValue) {
        return new Call(method, path, body, expectedStatus, bearer, nameAndValue);
    }
}
