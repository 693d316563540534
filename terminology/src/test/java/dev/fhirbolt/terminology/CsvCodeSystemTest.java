package dev.fhirbolt.terminology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fhirbolt.fhir.Fhir;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.junit.jupiter.api.Test;

class CsvCodeSystemTest {

    static final CsvCodeSystem.Header HEADER = new CsvCodeSystem.Header("dx", "http://example.org/dx", "Dx",
            Optional.of("1"));

    static Bundle convert(String csv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvCodeSystem.write(new BufferedReader(new StringReader(csv)), HEADER, out, n -> { });
        return (Bundle) Fhir.context().newJsonParser().parseResource(out.toString());
    }

    @Test
    void quotedFieldsParentsAndProperties() throws Exception {
        Bundle b = convert("code,display,parent,status,group\n"
                + "A,\"Root, the \"\"first\"\"\",,,g1\n"
                + "B,\"Two\nlines\",A,retired,\n"
                + "\n"
                + "C,Three,A|B,,g2\n");
        assertEquals("CodeSystem/dx", b.getEntryFirstRep().getRequest().getUrl());
        CodeSystem cs = (CodeSystem) b.getEntryFirstRep().getResource();
        assertEquals(3, cs.getConcept().size());
        assertEquals(3, cs.getCount());
        assertEquals("Root, the \"first\"", cs.getConcept().get(0).getDisplay());
        assertEquals("Two\nlines", cs.getConcept().get(1).getDisplay());
        CodeSystemIndex index = CodeSystemIndex.of(cs);
        assertEquals(2, index.parents(index.ordinal("C").orElseThrow()).length);
        assertEquals(true, index.inactive(index.ordinal("B").orElseThrow()));
        assertEquals("g2", ConceptProperties.values(cs.getConcept().get(2), "group").get(0));
    }

    @Test
    void aHeaderWithoutCodeOrARowWithoutOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> convert("id,display\n1,x\n"));
        assertThrows(IllegalArgumentException.class, () -> convert("code,display\n,x\n"));
        assertThrows(IllegalArgumentException.class, () -> convert("code,display\nA,\"open\n"));
    }
}
