package dev.fhirbolt.validation;

/** Where the walk of {@link BaseChecks} is, as a FHIRPath; the string is only built for an issue. */
record ElementPath(ElementPath parent, String name, int index) {

    String child(String element) {
        return this + "." + element;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        append(b);
        return b.toString();
    }

    private void append(StringBuilder b) {
        if (parent != null) {
            parent.append(b);
            b.append('.');
        }
        b.append(name);
        if (index >= 0) {
            b.append('[').append(index).append(']');
        }
    }
}
