package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.fhir.Fhir;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The terminology operations and token modifiers over HTTP, against core value sets and an uploaded hierarchy. */
class TerminologyOperationsTest {

    static final String ANIMALS = "http://example.org/cs/animals";
    static final String GENDER_VS = "http://hl7.org/fhir/ValueSet/administrative-gender";
    static final String GENDER_CS = "http://hl7.org/fhir/administrative-gender";

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        put("/CodeSystem/animals", codeSystem(""));
        put("/ValueSet/mammals", """
                {"resourceType":"ValueSet","id":"mammals","url":"http://example.org/vs/mammals","status":"active",
                 "compose":{"include":[{"system":"http://example.org/cs/animals",
                   "filter":[{"property":"concept","op":"is-a","value":"mammal"}]}]}}""");
        put("/ValueSet/pets", """
                {"resourceType":"ValueSet","id":"pets","url":"http://example.org/vs/pets","status":"active",
                 "compose":{"include":[{"valueSet":["http://example.org/vs/mammals"]},
                   {"system":"http://example.org/cs/animals","concept":[{"code":"parrot"}]}],
                  "exclude":[{"system":"http://example.org/cs/animals","concept":[{"code":"mammal"}]}]}}""");
        put("/ConceptMap/animals-de", """
                {"resourceType":"ConceptMap","id":"animals-de","url":"http://example.org/cm/animals-de",
                 "status":"active","sourceUri":"http://example.org/vs/mammals","targetUri":"http://example.org/vs/tiere",
                 "group":[{"source":"http://example.org/cs/animals","target":"http://example.org/cs/tiere",
                   "element":[{"code":"dog","target":[{"code":"hund","display":"Hund","equivalence":"equivalent"}]},
                              {"code":"cat","target":[{"code":"katze","equivalence":"wider"}]}]}]}""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String codeSystem(String extra) {
        return """
                {"resourceType":"CodeSystem","id":"animals","url":"http://example.org/cs/animals","name":"Animals",
                 "version":"1","status":"active","content":"complete","hierarchyMeaning":"is-a","caseSensitive":true,
                 "property":[{"code":"legs","type":"integer"},{"code":"status","type":"code"}],
                 "concept":[{"code":"animal","display":"Animal","concept":[
                   {"code":"mammal","display":"Mammal","concept":[
                     {"code":"dog","display":"Dog","designation":[{"language":"de","value":"Hund"}],
                      "property":[{"code":"legs","valueInteger":4}]},
                     {"code":"cat","display":"Domestic cat"}%s]},
                   {"code":"bird","display":"Bird","concept":[
                     {"code":"parrot","display":"Parrot","property":[{"code":"status","valueCode":"retired"}]}]}]}]}
                """.formatted(extra);
    }

    static void put(String path, String body) throws Exception {
        HttpResponse<String> r = server.send("PUT", path, body);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.body());
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return server.get(path);
    }

    static Parameters parameters(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return (Parameters) Fhir.context().newJsonParser().parseResource(r.body());
    }

    static List<String> codes(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        ValueSet vs = (ValueSet) Fhir.context().newJsonParser().parseResource(r.body());
        return vs.getExpansion().getContains().stream().map(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .toList();
    }

    static String value(Parameters p, String name) {
        return p.getParameter().stream().filter(x -> x.getName().equals(name)).findFirst()
                .map(x -> x.getValue().primitiveValue()).orElse(null);
    }

    // ------------------------------------------------------------------ core value sets

    @Test
    void expandsACoreValueSet() throws Exception {
        List<String> codes = codes(get("/ValueSet/$expand?url=" + q(GENDER_VS)));
        assertEquals(List.of("male", "female", "other", "unknown"), codes);
        assertEquals(List.of("female"), codes(get("/ValueSet/$expand?url=" + q(GENDER_VS) + "&filter=fem")));
    }

    @Test
    void validatesCodesAgainstCoreValueSets() throws Exception {
        Parameters ok = parameters(get("/ValueSet/$validate-code?url=" + q(GENDER_VS) + "&system=" + q(GENDER_CS)
                + "&code=female"));
        assertEquals("true", value(ok, "result"));
        assertEquals("Female", value(ok, "display"));
        Parameters bad = parameters(get("/ValueSet/$validate-code?url=" + q(GENDER_VS) + "&system=" + q(GENDER_CS)
                + "&code=woman"));
        assertEquals("false", value(bad, "result"));
        assertTrue(value(bad, "message").contains("woman"));
        Parameters display = parameters(get("/ValueSet/$validate-code?url="
                + q("http://hl7.org/fhir/ValueSet/observation-status") + "&system="
                + q("http://hl7.org/fhir/observation-status") + "&code=final&display=Done"));
        assertEquals("true", value(display, "result"));
        assertTrue(value(display, "message").startsWith("warning"), value(display, "message"));
        Parameters cs = parameters(get("/CodeSystem/$validate-code?url=" + q(GENDER_CS) + "&code=other"));
        assertEquals("true", value(cs, "result"));
    }

    @Test
    void looksUpACoreCode() throws Exception {
        Parameters p = parameters(get("/CodeSystem/$lookup?system=" + q("http://hl7.org/fhir/observation-status")
                + "&code=final"));
        assertEquals("Final", value(p, "display"));
    }

    @Test
    void codeableConceptInAParametersBody() throws Exception {
        String body = """
                {"resourceType":"Parameters","parameter":[
                 {"name":"url","valueUri":"http://hl7.org/fhir/ValueSet/administrative-gender"},
                 {"name":"codeableConcept","valueCodeableConcept":{"coding":[
                   {"system":"http://example.org/other","code":"x"},
                   {"system":"http://hl7.org/fhir/administrative-gender","code":"male"}]}}]}""";
        assertEquals("true", value(parameters(server.send("POST", "/ValueSet/$validate-code", body)), "result"));
    }

    // ------------------------------------------------------------------ an uploaded hierarchy

    @Test
    void expandsComposeWithFiltersImportsAndExcludes() throws Exception {
        assertEquals(List.of("mammal", "dog", "cat"), codes(get("/ValueSet/mammals/$expand")));
        assertEquals(List.of("dog", "cat", "parrot"), codes(get("/ValueSet/$expand?url="
                + q("http://example.org/vs/pets"))));
        assertEquals(List.of("cat"), codes(get("/ValueSet/mammals/$expand?filter=domestic")));
        assertEquals(List.of("dog"), codes(get("/ValueSet/mammals/$expand?offset=1&count=1")));
        assertEquals(List.of("dog", "cat"), codes(get("/ValueSet/pets/$expand?activeOnly=true")));
        assertEquals(List.of("dog", "cat"), codes(get("/ValueSet/$expand?url="
                + q(ANIMALS + "?fhir_vs=isa/mammal") + "&filter=d")));
        String body = """
                {"resourceType":"Parameters","parameter":[{"name":"valueSet","resource":{"resourceType":"ValueSet",
                  "status":"active","compose":{"include":[{"system":"http://example.org/cs/animals","filter":[
                   {"property":"concept","op":"descendent-of","value":"animal"},
                   {"property":"legs","op":"=","value":"4"}]}]}}},
                 {"name":"includeDesignations","valueBoolean":true}]}""";
        HttpResponse<String> r = server.send("POST", "/ValueSet/$expand", body);
        assertEquals(List.of("dog"), codes(r));
        assertTrue(r.body().contains("Hund"), r.body());
        assertTrue(get("/ValueSet/$expand?url=" + q(ANIMALS + "?fhir_vs")).body().contains("\"total\":6"));
    }

    @Test
    void expandsWithDisplaysInTheAskedLanguage() throws Exception {
        String german = get("/ValueSet/mammals/$expand?displayLanguage=de-CH&excludeNested=true").body();
        assertTrue(german.contains("\"code\":\"dog\",\"display\":\"Hund\""), german);
        assertTrue(german.contains("\"code\":\"cat\",\"display\":\"Domestic cat\""), "no designation: own display");
        assertTrue(german.contains("\"name\":\"displayLanguage\",\"valueCode\":\"de-CH\"") 
                && german.contains("\"name\":\"excludeNested\""), german);
        assertTrue(get("/ValueSet/mammals/$expand?displayLanguage=fr").body().contains("\"display\":\"Dog\""));
    }

    @Test
    void looksUpPropertiesParentsAndChildren() throws Exception {
        Parameters dog = parameters(get("/CodeSystem/$lookup?system=" + q(ANIMALS) + "&code=dog"));
        assertEquals("Dog", value(dog, "display"));
        assertEquals("Animals", value(dog, "name"));
        String json = Fhir.context().newJsonParser().encodeResourceToString(dog);
        assertTrue(json.contains("\"valueCode\":\"mammal\""), json);
        assertTrue(json.contains("Hund") && json.contains("\"valueInteger\":4"), json);
        Parameters mammal = parameters(get("/CodeSystem/animals/$lookup?code=mammal&property=child"));
        String children = Fhir.context().newJsonParser().encodeResourceToString(mammal);
        assertTrue(children.contains("\"valueCode\":\"dog\"") && children.contains("\"valueCode\":\"cat\""),
                children);
        assertFalse(children.contains("\"parent\""), children);
    }

    @Test
    void subsumption() throws Exception {
        String base = "/CodeSystem/$subsumes?system=" + q(ANIMALS);
        assertEquals("subsumes", value(parameters(get(base + "&codeA=animal&codeB=dog")), "outcome"));
        assertEquals("subsumed-by", value(parameters(get(base + "&codeA=cat&codeB=mammal")), "outcome"));
        assertEquals("not-subsumed", value(parameters(get(base + "&codeA=cat&codeB=bird")), "outcome"));
        assertEquals("equivalent", value(parameters(get(base + "&codeA=cat&codeB=cat")), "outcome"));
    }

    @Test
    void validatesAgainstAnUploadedValueSet() throws Exception {
        String base = "/ValueSet/$validate-code?url=" + q("http://example.org/vs/mammals") + "&system=" + q(ANIMALS);
        assertEquals("true", value(parameters(get(base + "&code=dog")), "result"));
        assertEquals("false", value(parameters(get(base + "&code=parrot")), "result"));
        assertEquals("false", value(parameters(get("/CodeSystem/animals/$validate-code?code=horse")), "result"));
    }

    @Test
    void translatesForwardAndBack() throws Exception {
        Parameters p = parameters(get("/ConceptMap/$translate?system=" + q(ANIMALS) + "&code=dog"));
        assertEquals("true", value(p, "result"));
        String json = Fhir.context().newJsonParser().encodeResourceToString(p);
        assertTrue(json.contains("hund") && json.contains("equivalent"), json);
        Parameters back = parameters(get("/ConceptMap/$translate?system=" + q("http://example.org/cs/tiere")
                + "&code=katze&reverse=true"));
        String backJson = Fhir.context().newJsonParser().encodeResourceToString(back);
        assertTrue(backJson.contains("\"cat\"") && backJson.contains("narrower"), backJson);
        assertEquals("false", value(parameters(get("/ConceptMap/$translate?system=" + q(ANIMALS)
                + "&code=parrot")), "result"));
    }

    @Test
    void theIndexFollowsUpdatesAndDeletes() throws Exception {
        put("/CodeSystem/animals", codeSystem(",{\"code\":\"horse\",\"display\":\"Horse\"}"));
        try {
            assertEquals(List.of("mammal", "dog", "cat", "horse"), codes(get("/ValueSet/mammals/$expand")));
            put("/ValueSet/gone", "{\"resourceType\":\"ValueSet\",\"id\":\"gone\",\"url\":\"http://example.org/vs/gone\","
                    + "\"status\":\"active\",\"compose\":{\"include\":[{\"system\":\"" + ANIMALS + "\"}]}}");
            assertEquals(200, get("/ValueSet/$expand?url=" + q("http://example.org/vs/gone")).statusCode());
            assertEquals(204 / 100, server.send("DELETE", "/ValueSet/gone", null).statusCode() / 100);
            assertEquals(404, get("/ValueSet/$expand?url=" + q("http://example.org/vs/gone")).statusCode());
        } finally {
            put("/CodeSystem/animals", codeSystem(""));
        }
    }

    @Test
    void badRequestsAreOperationOutcomes() throws Exception {
        HttpResponse<String> unknown = get("/ValueSet/$expand?url=" + q("http://example.org/vs/nope"));
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("OperationOutcome"));
        assertEquals(404, get("/ValueSet/nope/$expand").statusCode());
        assertEquals(400, get("/ValueSet/$expand").statusCode());
        assertEquals(400, get("/ValueSet/mammals/$expand?count=-1").statusCode());
        assertEquals(400, get("/ValueSet/mammals/$expand?activeOnly=perhaps").statusCode());
        assertEquals(400, get("/CodeSystem/$lookup?system=" + q(ANIMALS)).statusCode());
        assertEquals(404, get("/CodeSystem/$lookup?system=" + q(ANIMALS) + "&code=unicorn").statusCode());
        assertEquals(400, get("/CodeSystem/$subsumes?system=" + q(ANIMALS) + "&codeA=dog").statusCode());
        assertEquals(400, server.send("POST", "/ValueSet/$expand", "{\"resourceType\":\"Patient\"}").statusCode());
        HttpResponse<String> regex = server.send("POST", "/ValueSet/$expand", """
                {"resourceType":"Parameters","parameter":[{"name":"valueSet","resource":{"resourceType":"ValueSet",
                  "status":"active","compose":{"include":[{"system":"http://example.org/cs/animals","filter":[
                   {"property":"concept","op":"regex","value":"(["}]}]}}}]}""");
        assertEquals(400, regex.statusCode(), regex.body());
    }

    @Test
    void capabilityStatementListsTheOperations() throws Exception {
        String body = get("/metadata").body();
        for (String op : List.of("ValueSet-expand", "CodeSystem-lookup", "ValueSet-validate-code",
                "CodeSystem-validate-code", "CodeSystem-subsumes", "ConceptMap-translate")) {
            assertTrue(body.contains(op), op);
        }
    }

    // ------------------------------------------------------------------ search modifiers

    @Test
    void tokenModifiersUseTheSameEngine() throws Exception {
        for (String[] o : new String[][] {{"o-dog", "dog", "final"}, {"o-cat", "cat", "preliminary"},
                {"o-parrot", "parrot", "final"}}) {
            put("/Observation/" + o[0], "{\"resourceType\":\"Observation\",\"id\":\"" + o[0] + "\",\"status\":\""
                    + o[2] + "\",\"code\":{\"coding\":[{\"system\":\"" + ANIMALS + "\",\"code\":\"" + o[1] + "\"}]}}");
        }
        assertEquals(List.of("o-cat", "o-dog"), ids("/Observation?code:below=" + q(ANIMALS + "|mammal")));
        assertEquals(List.of("o-cat", "o-dog"), ids("/Observation?code:in=" + q("http://example.org/vs/mammals")));
        assertEquals(List.of("o-parrot"), ids("/Observation?code:not-in=" + q("http://example.org/vs/mammals")));
        assertEquals(List.of("o-parrot"), ids("/Observation?code:above=" + q(ANIMALS + "|parrot")
                + "&_id=o-parrot"));
        assertEquals(List.of("o-dog", "o-parrot"), ids("/Observation?code:in=" + q(ANIMALS + "?fhir_vs")
                + "&status:in=" + q("http://hl7.org/fhir/ValueSet/observation-status") + "&status=final"));
        assertEquals(400, get("/Observation?code:below=mammal").statusCode());
    }

    private static List<String> ids(String path) throws Exception {
        HttpResponse<String> r = get(path + (path.contains("?") ? "&" : "?") + "_sort=_id");
        assertEquals(200, r.statusCode(), r.body());
        Bundle b = (Bundle) Fhir.context().newJsonParser().parseResource(r.body());
        return b.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }
}
