package dev.fhirbolt.search.query;

/** A search parameter name taken apart: code, modifier and the chained rest ("subject:Patient.name"). */
record ParsedName(String code, String modifier, String chain) {

    static ParsedName parse(String name) {
        String head = name;
        String chain = null;
        int dot = name.indexOf('.');
        if (dot > 0) {
            head = name.substring(0, dot);
            chain = name.substring(dot + 1);
        }
        int colon = head.indexOf(':');
        if (colon > 0) {
            return new ParsedName(head.substring(0, colon), head.substring(colon + 1), chain);
        }
        return new ParsedName(head, null, chain);
    }
}
