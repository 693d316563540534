package dev.fhirbolt.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Small FHIR packages (NPM-style .tgz) built at test time: a tiny IG with a Patient profile and a search parameter. */
final class FixturePackages {

    static final String TINY = "example.fhir.tiny";
    static final String PROFILE = "http://example.org/fhir/StructureDefinition/tiny-patient";

    private FixturePackages() {
    }

    /** The tiny IG: a Patient profile requiring birthDate, a token search parameter on maritalStatus, a code system and value set. */
    static byte[] tiny() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package/package.json", manifest(TINY, "1.0.0", "\"hl7.fhir.r4.core\":\"4.0.1\""));
        files.put("package/StructureDefinition-tiny-patient.json", """
                {"resourceType":"StructureDefinition","id":"tiny-patient","url":"%s","version":"1.0.0",
                 "name":"TinyPatient","status":"active","fhirVersion":"4.0.1","kind":"resource","abstract":false,
                 "type":"Patient","baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",
                 "derivation":"constraint","differential":{"element":[
                   {"id":"Patient","path":"Patient"},
                   {"id":"Patient.birthDate","path":"Patient.birthDate","min":1}]}}""".formatted(PROFILE));
        files.put("package/SearchParameter-patient-marital.json", """
                {"resourceType":"SearchParameter","id":"tiny-patient-marital",
                 "url":"http://example.org/fhir/SearchParameter/patient-marital","name":"marital","status":"active",
                 "description":"Marital status of the patient","code":"marital","base":["Patient"],"type":"token",
                 "expression":"Patient.maritalStatus"}""");
        files.put("package/CodeSystem-tiny-colours.json", """
                {"resourceType":"CodeSystem","id":"tiny-colours","url":"http://example.org/fhir/CodeSystem/colours",
                 "status":"active","content":"complete","concept":[{"code":"red"},{"code":"green"}]}""");
        files.put("package/ValueSet-tiny-colours.json", """
                {"resourceType":"ValueSet","id":"tiny-colours","url":"http://example.org/fhir/ValueSet/colours",
                 "status":"active","compose":{"include":[{"system":"http://example.org/fhir/CodeSystem/colours"}]}}""");
        files.put("package/ImplementationGuide-tiny.json", """
                {"resourceType":"ImplementationGuide","id":"tiny","url":"http://example.org/fhir/ImplementationGuide/tiny",
                 "name":"Tiny","status":"active","packageId":"example.fhir.tiny","fhirVersion":["4.0.1"]}""");
        files.put("package/example/Patient-example.json", "{\"resourceType\":\"Patient\",\"id\":\"example\"}");
        return tgz(files);
    }

    /** A package that depends on {@code dependency#version} and holds one ValueSet. */
    static byte[] dependent(String name, String dependency, String version) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package/package.json", manifest(name, "0.1.0", "\"hl7.fhir.r4.core\":\"4.0.1\",\""
                + dependency + "\":\"" + version + "\""));
        files.put("package/ValueSet-more.json", """
                {"resourceType":"ValueSet","id":"%s-more","url":"http://example.org/fhir/ValueSet/%s-more",
                 "status":"active","compose":{"include":[{"system":"http://example.org/fhir/CodeSystem/colours"}]}}"""
                .formatted(name.replace('.', '-'), name));
        return tgz(files);
    }

    private static String manifest(String name, String version, String dependencies) {
        return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"fhirVersions\":[\"4.0.1\"],"
                + "\"type\":\"fhir.ig\",\"dependencies\":{" + dependencies + "}}";
    }

    /** A gzip-compressed ustar archive of the files. */
    static byte[] tgz(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            for (var f : files.entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                byte[] header = new byte[512];
                put(header, 0, f.getKey());
                put(header, 100, "0000644");
                put(header, 108, "0000000");
                put(header, 116, "0000000");
                put(header, 124, String.format("%011o", content.length));
                put(header, 136, String.format("%011o", 0));
                header[156] = '0';
                put(header, 257, "ustar");
                put(header, 263, "00");
                for (int i = 148; i < 156; i++) {
                    header[i] = ' ';
                }
                int sum = 0;
                for (byte b : header) {
                    sum += b & 0xff;
                }
                put(header, 148, String.format("%06o", sum));
                header[155] = ' ';
                out.write(header);
                out.write(content);
                out.write(new byte[(512 - content.length % 512) % 512]);
            }
            out.write(new byte[1024]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
