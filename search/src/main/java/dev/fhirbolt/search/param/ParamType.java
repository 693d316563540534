package dev.fhirbolt.search.param;

import java.util.Locale;

/** The search parameter types of FHIR R4. */
public enum ParamType {
    NUMBER, DATE, STRING, TOKEN, REFERENCE, COMPOSITE, QUANTITY, URI, SPECIAL;

    /** The code as written in SearchParameter.type and the CapabilityStatement. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ParamType ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
