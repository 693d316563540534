package dev.fhirbolt.search.index;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;

/** Turns one element a parameter's path selected into the encoded values the indexes hold. */
@FunctionalInterface
public interface ValueEncoder {

    void encode(IBase element, List<byte[]> out);
}
