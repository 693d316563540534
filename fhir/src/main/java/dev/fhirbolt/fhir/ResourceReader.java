package dev.fhirbolt.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns request bodies into R4 model objects with structural validation: malformed syntax, unknown elements, wrong
 * primitive formats and unknown resource types are rejected with a message a person can act on.
 */
public final class ResourceReader {

    private ResourceReader() {
    }

    public static Resource read(byte[] body, FhirFormat format) {
        if (body == null || body.length == 0) {
            throw FhirException.invalid("the request needs a body holding a FHIR resource");
        }
        IParser parser = strictParser(format);
        try (var reader = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8)) {
            var parsed = parser.parseResource(reader);
            if (!(parsed instanceof Resource resource)) {
                throw FhirException.invalid("the body is not a FHIR R4 resource");
            }
            return resource;
        } catch (DataFormatException e) {
            throw new FhirException(400, IssueType.STRUCTURE, "the " + format.name() + " body is not a valid FHIR R4"
                    + " resource: " + clean(e.getMessage()), null, e);
        } catch (java.io.IOException e) {
            throw new FhirException(400, IssueType.STRUCTURE, "the body could not be read", null, e);
        }
    }

    /** Parses bytes this server stored itself: they were validated on the way in, so no strict checks. */
    public static Resource readStored(byte[] json) {
        return (Resource) Fhir.context().newJsonParser().parseResource(
                new InputStreamReader(new ByteArrayInputStream(json), StandardCharsets.UTF_8));
    }

    private static IParser strictParser(FhirFormat format) {
        IParser parser = format == FhirFormat.XML ? Fhir.context().newXmlParser() : Fhir.context().newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
        return parser;
    }

    /** HAPI prefixes messages with internal codes like "HAPI-1861: "; users need only the sentence. */
    static String clean(String message) {
        if (message == null) {
            return "unreadable content";
        }
        String cleaned = message.replaceAll("HAPI-\\d+: ", "");
        var location = java.util.regex.Pattern.compile(
                "DataFormatException at \\[Line number = (\\d+)\\s+Column number = (\\d+)[^\\]]*\\]:?\\s*",
                java.util.regex.Pattern.DOTALL).matcher(cleaned);
        if (location.find()) {
            cleaned = location.replaceFirst("at line $1, column $2: ");
        }
        return cleaned.replace("DataFormatException", "format error");
    }
}
