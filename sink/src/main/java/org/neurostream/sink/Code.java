package org.neurostream.sink;

import org.neurostream.imaging.Uids;

/**
 * A coded concept with its DICOM coding scheme designator (DCM, SCT, LN, UCUM or our private {@link #PRIVATE}),
 * and the same concept's names in FHIR (system URI) and HL7 v2 (coding system).
 */
public record Code(String scheme, String value, String meaning) {
    /** Our private coding scheme for concepts no standard names (declared in every SR). */
    public static final String PRIVATE = "99NEUROSTREAM";
    /** Its UID; also the FHIR system ({@code urn:oid:…}) of the same codes. */
    public static final String PRIVATE_UID = Uids.fromName("neurostream/coding-scheme/1");

    public static Code dcm(String value, String meaning) {
        return new Code("DCM", value, meaning);
    }

    public static Code sct(String value, String meaning) {
        return new Code("SCT", value, meaning);
    }

    public static Code loinc(String value, String meaning) {
        return new Code("LN", value, meaning);
    }

    public static Code own(String value, String meaning) {
        return new Code(PRIVATE, value, meaning);
    }

    public static Code ucum(String value, String meaning) {
        return new Code("UCUM", value, meaning);
    }

    public String fhirSystem() {
        return switch (scheme) {
            case "DCM" -> "http://dicom.nema.org/resources/ontology/DCM";
            case "SCT" -> "http://snomed.info/sct";
            case "LN" -> "http://loinc.org";
            case "UCUM" -> "http://unitsofmeasure.org";
            default -> "urn:oid:" + PRIVATE_UID;
        };
    }

    /** HL7 v2 table 0396 name (local codes: 99 + a name). */
    public String hl7System() {
        return switch (scheme) {
            case "SCT" -> "SCT";
            case "LN" -> "LN";
            case "DCM" -> "DCM";
            case "UCUM" -> "UCUM";
            default -> "99NEUROSTREAM";
        };
    }
}
