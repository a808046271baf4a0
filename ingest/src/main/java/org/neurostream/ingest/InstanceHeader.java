package org.neurostream.ingest;

import org.neurostream.schemas.SeriesGeometry;

/**
 * What ingest keeps from one instance's header. Holds the pseudonymous patient key, never the raw patient id,
 * so it is safe to log or keep in memory for the life of a series.
 */
public record InstanceHeader(
        String patientKey,
        String sopClassUid,
        String sopInstanceUid,
        String studyInstanceUid,
        String seriesInstanceUid,
        Integer instanceNumber,
        String studyDate,
        String modality,
        String seriesDescription,
        String protocolName,
        String imageType,
        String scanningSequence,
        String sequenceVariant,
        String mrAcquisitionType,
        String bodyPartExamined,
        SeriesGeometry geometry) {
}
