package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SearchPageTest {

    @Test
    void theFormBecomesTheFhirQueryWithFilledRowsOnly() {
        assertEquals("?name:exact=Anna%20Maria&birthdate=ge2000-01-01&_count=5&_sort=-birthdate",
                SearchPage.fhirQuery(Forms.parse("n0=name%3Aexact&v0=Anna+Maria&n1=&v1=x&n2=birthdate&v2=ge2000-01-01"
                        + "&_count=5&_sort=-birthdate")));
        assertEquals("?code=http://loinc.org|29463-7,8302-2", SearchPage.fhirQuery(Forms.parse(
                "n0=code&v0=http%3A%2F%2Floinc.org%7C29463-7%2C8302-2")).replace("%2F", "/"));
        assertEquals("", SearchPage.fhirQuery(Forms.parse("n0=&v0=")));
    }

    @Test
    void pagingLinksOfThisServerBecomeConsoleLinks() {
        assertEquals("/console/fhir/Patient?_cursor=abc", SearchPage.consoleLink("http://h:1/Patient?_cursor=abc",
                "http://h:1"));
        assertNull(SearchPage.consoleLink("http://elsewhere/Patient", "http://h:1"));
    }
}
