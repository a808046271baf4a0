package org.neurostream.sink;

import java.util.List;
import java.util.Optional;
import org.neurostream.schemas.AnalysisResult;

/**
 * Everything the sink made of one ANALYSED result, built once and handed to every target.
 *
 * @param objects      the SR first, then the SEG and the key image when the result has them
 * @param measurements every figure, in report order
 * @param keyImagePng  the key image as PNG (for FHIR), or null
 * @param patient      the follow-up's patient identification as the source header has it (for HL7 PID only;
 *                     never logged)
 */
public record ResultPackage(AnalysisResult result, List<DicomObject> objects, List<Measurement> measurements,
                            byte[] keyImagePng, PatientInfo patient) {
    public ResultPackage {
        objects = List.copyOf(objects);
        measurements = List.copyOf(measurements);
    }

    /** Patient identification copied from the source image header. */
    public record PatientInfo(String id, String issuer, String name, String birthDate, String sex,
                              String accessionNumber) {
        @Override
        public String toString() {
            return "PatientInfo[redacted]"; // never in a log line by accident
        }
    }

    public DicomObject sr() {
        return objects.get(0);
    }

    public Optional<DicomObject> object(String kind) {
        return objects.stream().filter(o -> o.kind().equals(kind)).findFirst();
    }

    public String resultId() {
        return result.getResultId();
    }
}
