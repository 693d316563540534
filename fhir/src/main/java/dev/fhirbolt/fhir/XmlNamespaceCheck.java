package dev.fhirbolt.fhir;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Refuses an XML body with an element outside the FHIR namespace (a foreign one, or none), except the XHTML of a
 * narrative: the FHIR parser reads elements by local name alone and would take them for FHIR. Malformed XML is left
 * to the FHIR parser, whose message names the fault.
 */
final class XmlNamespaceCheck {

    static final String FHIR = "http://hl7.org/fhir";
    private static final String XHTML = "http://www.w3.org/1999/xhtml";

    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    }

    private XmlNamespaceCheck() {
    }

    static void check(byte[] body) {
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            int xhtmlDepth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String namespace = reader.getNamespaceURI();
                    if (xhtmlDepth > 0 || XHTML.equals(namespace) && "div".equals(reader.getLocalName())) {
                        xhtmlDepth++;
                    } else if (!FHIR.equals(namespace)) {
                        throw new FhirException(400, IssueType.STRUCTURE, "the XML element <" + reader.getLocalName()
                                + "> at line " + reader.getLocation().getLineNumber() + " is "
                                + (namespace == null || namespace.isEmpty() ? "in no namespace"
                                        : "in the namespace " + namespace)
                                + "; FHIR XML elements are in the namespace " + FHIR);
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && xhtmlDepth > 0) {
                    xhtmlDepth--;
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof FhirException fhir) {
                throw fhir;
            }
            // malformed XML: the FHIR parser reports it
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing held
                }
            }
        }
    }
}
