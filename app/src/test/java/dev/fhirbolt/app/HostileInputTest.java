package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and malformed input over HTTP: every one gets a 4xx OperationOutcome in JSON (never a 500 or Jetty's HTML
 * page), and what the server cannot store faithfully is refused instead of being changed on the way in.
 */
class HostileInputTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(java.nio.file.Files.createTempDirectory("fhirbolt-hostile"), Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ------------------------------------------------------------------ search parameters

    @ParameterizedTest
    @ValueSource(strings = {"/Patient?birthdate=2020-13-01", "/Patient?birthdate=2020-02-30",
            "/Patient?birthdate=ge2020-13", "/Patient?birthdate=2020-00", "/Patient?birthdate=2021-02-29",
            "/Patient?_lastUpdated=2020-01-01T25:00:00Z", "/Patient?_lastUpdated=gt2020-01-01T10:61:00Z",
            "/Patient?_lastUpdated=2020-01-01T10:00:00+25:00", "/Patient?birthdate=99999-01-01",
            "/Observation?date=2020-01-01T10:00:61Z", "/Observation?code-value-date=http://loinc.org%7C1$2020-13",
            "/Patient?_has:Observation:patient:date=2020-13"})
    void impossibleDatesInSearchAre400(String query) throws Exception {
        assertOutcome(server.get(query), 400, "date");
    }

    @Test
    void aWordIsNotADate() throws Exception {
        assertOutcome(server.get("/Patient?birthdate=yesterday"), 400, "'yesterday' is not a date");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/Patient?_elements=.", "/Patient?_elements=..", "/Patient?_elements=name..given",
            "/Patient?_elements=,", "/Patient?_elements=%00", "/metadata?_elements=."})
    void malformedElementsAre400(String query) throws Exception {
        assertOutcome(server.get(query), 400, "_elements");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/Observation?value-quantity=1e999999999", "/Observation?value-quantity=abc",
            "/RiskAssessment?probability=NaN", "/RiskAssessment?probability=1e99999999999",
            "/Patient?_count=-1", "/Patient?_count=abc", "/AuditEvent?_count=-1", "/AuditEvent?date=2020-13",
            "/Patient/_history?_count=-1", "/Location?near=91%7C0", "/Location?near=NaN%7C0",
            "/Patient/_history?_since=2020-13-01", "/Patient/_history?_at=2020-02-30",
            "/Patient/_history?_since=garbage", "/Location?near=9%7C9%7Cabc", "/Location?near=1%7C1%7C1e999",
            "/Observation?value-quantity=1e-99999", "/Patient?_count=1e3"})
    void otherMalformedParametersAre4xx(String query) throws Exception {
        HttpResponse<String> r = server.get(query);
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, query + " -> " + r.statusCode() + " " + r.body());
        assertOutcomeJson(r);
    }

    /** A sweep over the other parameter parsers: whatever they make of these, never a 5xx and never HTML. */
    @ParameterizedTest
    @ValueSource(strings = {"/Patient?identifier=%5C", "/Patient?name=%5C", "/Patient?identifier=a%7C%7C%7Cb",
            "/Observation?value-quantity=5%7C%7C%7C%7C", "/Patient?_has=x", "/Patient?_has:Observation=x",
            "/Patient?_has:Observation:patient:code:below=%00", "/Patient?general-practitioner.name=x",
            "/Patient?general-practitioner:Banana.name=x", "/Patient?_include=garbage", "/Patient?_include=Patient:nosuch",
            "/Patient?_revinclude=:", "/Patient?_include=*:*:*", "/Patient?_sort=-", "/Patient?_sort=,,", "/Patient?_total=x",
            "/Patient?_summary=banana", "/Patient?_format=%00", "/Patient?_pretty=banana", "/Patient?_cursor=garbage",
            "/Patient?_cursor=%00%00", "/?_type=Patient,,Banana", "/Observation?component-code-value-quantity=x$y",
            "/Observation?combo-code-value-quantity=$$$", "/Patient?birthdate=", "/Patient?birthdate=ge",
            "/Patient?_lastUpdated=", "/Patient?_id=", "/Observation?code:in=http://nonexistent.example/vs",
            "/Observation?code:below=%00", "/Observation?code:text=%00", "/Patient/x/$everything?start=2020-13-01",
            "/Patient/x/$everything?_since=bad", "/Patient/x/$everything?_count=-3", "/$export?_since=2020-13-01",
            "/Patient/x/_history?_count=99999999999", "/_history?_since=2020-02-30", "/_history?_at=gt2020",
            "/Patient?_count=0", "/Patient?_count=2147483648", "/Patient?_count=99999999999999999999",
            "/Patient?birthdate=2020-01-01T10:00:00.1234567890123Z",
            "/Patient?birthdate=ap1", "/Patient?birthdate=eb0001", "/Patient?_lastUpdated=ne9999-12-31T23:59:59Z",
            "/RiskAssessment?probability=ap0", "/Observation?value-quantity=ap-0", "/Location?near=-90%7C-180%7C0",
            "/Patient?phone:missing=banana", "/Patient?name:exact", "/Patient?=x", "/Patient?&&&", "/Patient?%",
            "/Patient?name=%ZZ", "/Patient?name=%C3%28", "/Patient?name=%ED%A0%80", "/Patient/_search?name=x",
            "/Patient?_filter=name eq x", "/metadata?mode=banana", "/Patient/$validate", "/Patient/x/_history/0",
            "/Patient/x/_history/-1", "/Patient/x/_history/1.5", "/Patient/%20", "/Patient/x%20y"})
    void otherParametersNever5xx(String query) throws Exception {
        String[] r = raw("GET " + query.replace(" ", "%20") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        int status = Integer.parseInt(r[0].split(" ")[1]);
        assertTrue(status < 500, query + " -> " + r[0] + " " + r[1]);
        if (status >= 400) {
            assertOutcomeText(r[1]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"If-None-Match=garbage", "If-Modified-Since=garbage", "If-None-Exist=%%%",
            "If-None-Exist=name:banana=x", "Accept=*/*;q=abc", "Accept=application/fhir+json;q=2;fhirVersion=9",
            "Prefer=handling=strict", "Prefer=return=minimal;return=representation", "X-Forwarded-Host=a b",
            "Forwarded=for=x;host=\"a b\";proto=gopher", "X-Forwarded-Proto=gopher", "X-Forwarded-Port=99999",
            "Content-Type=application/fhir+json; charset=ISO-8859-1", "Content-Type=", "Content-Type=*/*",
            "Authorization=Bearer %00", "Authorization=Basic", "Accept-Encoding=gzip;q=banana", "Range=bytes=9-1"})
    void hostileHeadersNever5xx(String header) throws Exception {
        String name = header.substring(0, header.indexOf('='));
        String value = header.substring(header.indexOf('=') + 1);
        String[] raw = raw("POST /Patient HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\n" + name
                + ": " + value + "\r\nContent-Length: 26\r\nConnection: close\r\n\r\n{\"resourceType\":\"Patient\"}");
        int status = Integer.parseInt(raw[0].split(" ")[1]);
        assertTrue(status < 500, header + " -> " + raw[0] + " " + raw[1]);
        String[] get = raw("GET /Patient?_count=1 HTTP/1.1\r\nHost: x\r\n" + name + ": " + value
                + "\r\nConnection: close\r\n\r\n");
        int getStatus = Integer.parseInt(get[0].split(" ")[1]);
        assertTrue(getStatus < 500, header + " -> " + get[0] + " " + get[1]);
        if (getStatus >= 400) {
            assertOutcomeText(get[1]);
        }
    }

    @Test
    void exportFileNameWithANulByte() throws Exception {
        server.send("PUT", "/Patient/exported", "{\"resourceType\":\"Patient\",\"id\":\"exported\"}");
        HttpResponse<String> kick = server.get("/$export?_type=Patient", "Prefer", "respond-async");
        assertEquals(202, kick.statusCode(), kick.body());
        String status = kick.headers().firstValue("Content-Location").orElseThrow();
        HttpResponse<String> poll = null;
        for (int i = 0; i < 200; i++) {
            poll = server.get(status.substring(server.base.length()));
            if (poll.statusCode() == 200) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(200, poll.statusCode(), poll.body());
        String url = Smart.JSON.readTree(poll.body()).path("output").path(0).path("url").asText();
        assertEquals(200, server.get(url.substring(server.base.length())).statusCode());
        for (String bad : new String[] {"%00.txt", "%00", "/../../x", "%2f..%2f..%2fetc%2fpasswd"}) {
            HttpResponse<String> r = server.get(url.substring(server.base.length()) + bad);
            assertTrue(r.statusCode() == 400 || r.statusCode() == 404, bad + " -> " + r.statusCode() + " " + r.body());
            assertOutcomeJson(r);
        }
        HttpResponse<String> r = server.get("/$export-file?_jobId=x%00&_file=Patient.ndjson%00.txt");
        assertTrue(r.statusCode() == 400 || r.statusCode() == 404, r.statusCode() + " " + r.body());
        assertOutcomeJson(r);
    }

    @Test
    void hugeIdsAndVersions() throws Exception {
        assertOutcome(server.get("/Patient/" + "a".repeat(5_000)), 400, "id");
        assertOutcome(server.get("/Patient/" + "a".repeat(10_000)), 414, "URI");
        assertEquals(404, server.get("/Patient/x/_history/99999999999999999999").statusCode());
        assertOutcome(server.send("PUT", "/Patient/" + "a".repeat(65), "{\"resourceType\":\"Patient\",\"id\":\""
                + "a".repeat(65) + "\"}"), 400, "id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"banana", "W/\"\"", "W/\"-1\"", "W/\"99999999999999999999\"", "\"1", "*x"})
    void garbageIfMatchIs4xx(String ifMatch) throws Exception {
        HttpResponse<String> r = server.send("PUT", "/Patient/ifmatch", "{\"resourceType\":\"Patient\",\"id\":"
                + "\"ifmatch\"}", "If-Match", ifMatch);
        assertTrue(r.statusCode() == 400 || r.statusCode() == 412, ifMatch + " -> " + r.statusCode() + r.body());
        assertOutcomeJson(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"return=banana", "handling=banana", "return", "respond-async; x=", "=,;,="})
    void garbagePreferIsIgnoredOrRefusedButNever500(String prefer) throws Exception {
        HttpResponse<String> r = server.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}", "Prefer", prefer);
        assertTrue(r.statusCode() == 201 || r.statusCode() == 400, prefer + " -> " + r.statusCode() + r.body());
        HttpResponse<String> s = server.get("/Patient?_count=1", "Prefer", prefer);
        assertTrue(s.statusCode() == 200 || s.statusCode() == 400, prefer + " -> " + s.statusCode() + s.body());
    }

    // ------------------------------------------------------------------ bodies the server cannot store faithfully

    static Stream<Arguments> unfaithfulJson() {
        byte[] patient = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"X\"}]}".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("invalid UTF-8 byte", splice(patient, "X", new byte[] {(byte) 0xC3, (byte) 0x28}),
                        "UTF-8"),
                Arguments.of("truncated UTF-8 sequence", splice(patient, "X", new byte[] {(byte) 0xE2, (byte) 0x82}),
                        "UTF-8"),
                Arguments.of("overlong UTF-8", splice(patient, "X", new byte[] {(byte) 0xC0, (byte) 0xAF}), "UTF-8"),
                Arguments.of("Latin-1 byte", splice(patient, "X", new byte[] {(byte) 0xE9}), "UTF-8"),
                Arguments.of("surrogate encoded in UTF-8", splice(patient, "X",
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "UTF-8"),
                Arguments.of("escaped lone high surrogate", utf8(patient, "X", "\\ud800"), "surrogate"),
                Arguments.of("escaped lone low surrogate", utf8(patient, "X", "\\uDC00x"), "surrogate"),
                Arguments.of("escaped reversed pair", utf8(patient, "X", "\\ude00\\ud83d"), "surrogate"),
                Arguments.of("lone surrogate in a key", "{\"resourceType\":\"Patient\",\"\\ud800\":1}"
                        .getBytes(StandardCharsets.UTF_8), "surrogate"),
                Arguments.of("duplicate key", "{\"resourceType\":\"Patient\",\"gender\":\"male\",\"gender\":\"female\"}"
                        .getBytes(StandardCharsets.UTF_8), "gender"),
                Arguments.of("duplicate nested key", ("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"A\","
                        + "\"family\":\"B\"}]}").getBytes(StandardCharsets.UTF_8), "family"),
                Arguments.of("duplicate resourceType", "{\"resourceType\":\"Patient\",\"resourceType\":\"Patient\"}"
                        .getBytes(StandardCharsets.UTF_8), "resourceType"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unfaithfulJson")
    void jsonThatCannotBeStoredFaithfullyIs400(String what, byte[] body, String message) throws Exception {
        String before = server.get("/Patient?_summary=count").body();
        HttpResponse<String> r = sendBytes("POST", "/Patient", body, "application/fhir+json");
        assertOutcome(r, 400, message);
        HttpResponse<String> put = sendBytes("PUT", "/Patient/faithful", body, "application/fhir+json");
        assertEquals(400, put.statusCode(), put.body());
        HttpResponse<String> tx = sendBytes("POST", "/", ("{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
                + "\"entry\":[{\"resource\":" + new String(body, StandardCharsets.ISO_8859_1)
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}").getBytes(StandardCharsets.ISO_8859_1),
                "application/fhir+json");
        assertEquals(400, tx.statusCode(), tx.body());
        assertEquals(total(before), total(server.get("/Patient?_summary=count").body()), "nothing stored");
    }

    @Test
    void validSurrogatePairsAndEscapesAreKept() throws Exception {
        HttpResponse<String> r = server.send("PUT", "/Patient/emoji", "{\"resourceType\":\"Patient\",\"id\":\"emoji\","
                + "\"name\":[{\"family\":\"\\ud83d\\ude00 \u00e9\\u00e9\"}]}");
        assertEquals(201, r.statusCode(), r.body());
        HttpResponse<String> read = server.get("/Patient/emoji");
        assertEquals("\uD83D\uDE00 \u00e9\u00e9", Smart.JSON.readTree(read.body()).path("name").path(0).path("family")
                .asText(), read.body());
        server.send("DELETE", "/Patient/emoji", null);
        server.send("DELETE", "/Patient/emoji/_history", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<Patient xmlns=\"http://example.org/not-fhir\"><active value=\"true\"/></Patient>",
            "<Patient><active value=\"true\"/></Patient>",
            "<f:Patient xmlns:f=\"http://example.org\"><f:active value=\"true\"/></f:Patient>",
            "<Patient xmlns=\"http://hl7.org/fhir\"><active xmlns=\"http://example.org\" value=\"true\"/></Patient>"})
    void xmlOutsideTheFhirNamespaceIs400(String xml) throws Exception {
        HttpResponse<String> r = server.send("POST", "/Patient", xml, "Content-Type", "application/fhir+xml");
        assertOutcome(r, 400, "namespace");
    }

    @ParameterizedTest
    @ValueSource(strings = {"br", "deflate", "compress", "x-unknown", "gzip, br"})
    void contentEncodingsTheServerDoesNotDecodeAre415(String encoding) throws Exception {
        HttpResponse<String> r = server.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}",
                "Content-Encoding", encoding);
        assertOutcome(r, 415, "Content-Encoding");
    }

    @Test
    void gzipBodiesAreDecoded() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(zipped)) {
            gz.write("{\"resourceType\":\"Patient\",\"gender\":\"unknown\"}".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(URI.create(server.base + "/Patient"))
                .header("Content-Type", "application/fhir+json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(server.get(location.substring(server.base.length())).body().contains("\"gender\":\"unknown\""));
        HttpResponse<String> garbage = server.http.send(HttpRequest.newBuilder(URI.create(server.base + "/Patient"))
                .header("Content-Type", "application/fhir+json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("not gzip at all")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(garbage.statusCode() == 400, garbage.statusCode() + " " + garbage.body());
        assertOutcomeJson(garbage);
    }

    // ------------------------------------------------------------------ transactions

    @ParameterizedTest
    @ValueSource(strings = {"transaction", "batch"})
    void twoEntriesWithOneFullUrlAre400(String type) throws Exception {
        String entry = "{\"fullUrl\":\"urn:uuid:9a1f0a52-8f0c-4b8a-9c53-5b4e1c0d2f10\",\"resource\":{\"resourceType\":"
                + "\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}";
        HttpResponse<String> r = server.send("POST", "/", "{\"resourceType\":\"Bundle\",\"type\":\"" + type
                + "\",\"entry\":[" + entry + "," + entry + "]}");
        assertOutcome(r, 400, "urn:uuid:9a1f0a52-8f0c-4b8a-9c53-5b4e1c0d2f10");
    }

    @Test
    void putWithTheUrnUuidAsIdIsAcceptedAndReferencesRewritten() throws Exception {
        String x = "0f3c2a5e-1b7d-4c8e-9f10-2a3b4c5d6e7f";
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:" + x + "\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"" + x
                + "\",\"gender\":\"female\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/" + x + "\"}},"
                + "{\"fullUrl\":\"urn:uuid:1e2d3c4b-5a69-4788-8796-a5b4c3d2e1f0\",\"resource\":{\"resourceType\":"
                + "\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"t\"},\"subject\":{\"reference\":"
                + "\"urn:uuid:" + x + "\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        HttpResponse<String> r = server.send("POST", "/", bundle);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(server.get("/Patient/" + x).body().contains("\"gender\":\"female\""));
        HttpResponse<String> obs = server.get("/Observation?subject=Patient/" + x);
        assertTrue(obs.body().contains("\"reference\":\"Patient/" + x + "\""), obs.body());
        assertFalse(obs.body().contains("urn:uuid"), obs.body());
    }

    // ------------------------------------------------------------------ errors Jetty answers itself

    @ParameterizedTest
    @ValueSource(strings = {"/Patient/a%00b", "/Patient/%2e%2e%2fmetadata", "/%2e%2e/%2e%2e/etc/passwd",
            "/Patient/..%2f..%2fmetadata", "/Patient%2fx", "/Patient/a%zzb", "/Patient/%", "/Patient/a%5cb",
            "/Patient/%u0041"})
    void pathsJettyRefusesGetAnOperationOutcome(String path) throws Exception {
        String[] response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        int status = Integer.parseInt(response[0].split(" ")[1]);
        assertTrue(status == 400 || status == 404, path + " -> " + response[0] + "\n" + response[1]);
        assertOutcomeText(response[1]);
    }

    @Test
    void hugeQueryStringIs414OperationOutcome() throws Exception {
        String[] response = raw("GET /Patient?name=" + "a".repeat(64 * 1024) + " HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(response[0].contains(" 414 "), response[0]);
        assertOutcomeText(response[1]);
    }

    @Test
    void oversizedHeadersAre431OperationOutcome() throws Exception {
        String[] response = raw("GET /metadata HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(32 * 1024)
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(response[0].contains(" 431 "), response[0]);
        assertOutcomeText(response[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /Patient HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            "GET  HTTP/1.1\r\nHost: x\r\n\r\n", "BREW /Patient HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "GET /Patient HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
            "GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n"})
    void malformedRequestsGetAnOperationOutcome(String request) throws Exception {
        String[] response = raw(request);
        int status = Integer.parseInt(response[0].split(" ")[1]);
        assertTrue(status >= 400 && status < 500 || status == 505, request + " -> " + response[0]);
        assertOutcomeText(response[1]);
    }

    // ------------------------------------------------------------------ headers

    private static final Pattern IMF_FIXDATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} "
                    + "\\d{2}:\\d{2}:\\d{2} GMT");

    @Test
    void lastModifiedIsAnImfFixdate() throws Exception {
        server.send("PUT", "/Patient/dated", "{\"resourceType\":\"Patient\",\"id\":\"dated\"}");
        String lastModified = server.get("/Patient/dated").headers().firstValue("Last-Modified").orElseThrow();
        assertTrue(IMF_FIXDATE.matcher(lastModified).matches(), lastModified);
        assertEquals("Mon, 07 Dec 2026 10:00:00 GMT", dev.fhirbolt.rest.HttpDates.format(
                java.time.Instant.parse("2026-12-07T10:00:00Z")));
        assertEquals(java.time.Instant.parse("2026-12-07T10:00:00Z"),
                dev.fhirbolt.rest.HttpDates.parse("Mon, 7 Dec 2026 10:00:00 GMT").orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/Patient/subset?_elements=gender", "/Patient?_id=subset&_elements=gender",
            "/Patient/subset?_elements=gender&_format=xml", "/Patient/subset?_summary=true",
            "/Patient?_id=subset&_summary=true&_format=xml"})
    void subsettedTagOnce(String path) throws Exception {
        server.send("PUT", "/Patient/subset", "{\"resourceType\":\"Patient\",\"id\":\"subset\",\"gender\":\"male\","
                + "\"name\":[{\"family\":\"Sub\"}]}");
        String body = server.get(path).body();
        int entry = Math.max(body.indexOf("\"entry\""), body.indexOf("<entry>"));
        String resource = entry < 0 ? body : body.substring(entry);
        assertEquals(1, resource.split("SUBSETTED", -1).length - 1, body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/Patient?_id=plain&_summary=true", "/Patient?_id=plain&_summary=data",
            "/Patient?_id=plain&_summary=true&_format=xml", "/Patient?_id=plain&_summary=true&_pretty=true",
            "/Patient?_id=plain&_elements=gender"})
    void aSearchBundleIsNotTaggedSubsettedOnlyItsResources(String path) throws Exception {
        server.send("PUT", "/Patient/plain", "{\"resourceType\":\"Patient\",\"id\":\"plain\",\"gender\":\"male\","
                + "\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">P</div>\"},"
                + "\"maritalStatus\":{\"text\":\"Wedded\"}}");
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), r.body());
        String body = r.body();
        int entry = Math.max(body.indexOf("\"entry\""), body.indexOf("<entry>"));
        assertTrue(entry > 0, body);
        assertFalse(body.substring(0, entry).contains("SUBSETTED"), body);
        assertEquals(1, body.substring(entry).split("SUBSETTED", -1).length - 1, body);
        assertTrue(body.contains("gender") || body.contains("<gender"), body);
        if (path.contains("_summary=true")) {
            assertFalse(body.contains("Wedded"), body); // maritalStatus is not a summary element
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertOutcome(HttpResponse<String> r, int status, String message) {
        assertEquals(status, r.statusCode(), r.body());
        assertOutcomeJson(r);
        assertTrue(r.body().contains(message), r.body());
    }

    private static void assertOutcomeJson(HttpResponse<String> r) {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/fhir+json"),
                r.headers().toString());
        assertOutcomeText(r.body());
    }

    private static void assertOutcomeText(String body) {
        assertTrue(body.contains("\"resourceType\":\"OperationOutcome\""), body);
        assertFalse(body.contains("<html"), body);
        assertFalse(body.contains("Exception"), body);
    }

    private static int total(String bundle) throws IOException {
        return Smart.JSON.readTree(bundle).path("total").asInt(-1);
    }

    private static byte[] splice(byte[] body, String marker, byte[] insert) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(insert);
        out.write(body, at + marker.length(), body.length - at - marker.length());
        return out.toByteArray();
    }

    private static byte[] utf8(byte[] body, String marker, String insert) {
        return splice(body, marker, insert.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> sendBytes(String method, String path, byte[] body, String contentType)
            throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(server.base + path)).header("Content-Type",
                contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the bytes as they are and returns the status line and the body (the connection is closed). */
    static String[] raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before reading everything
            }
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = response.indexOf("\r\n\r\n");
            String statusLine = response.substring(0, Math.max(0, response.indexOf("\r\n")));
            String body = headerEnd < 0 ? "" : response.substring(headerEnd + 4);
            return new String[] {statusLine, body};
        }
    }
}
