package org.neurostream.processor.pairing;

import java.util.ArrayList;
import java.util.List;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.SeriesReceived;

/** SeriesReceived events as the ingest service would publish them for a 3D T1 series. */
public final class SeriesFixtures {
    public static SeriesReceived.Builder t1(String study, String date) {
        List<InstanceRef> instances = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            instances.add(InstanceRef.newBuilder().setSopInstanceUid(study + ".s." + i)
                    .setSopClassUid("1.2.840.10008.5.1.4.1.1.4").setInstanceNumber(i + 1)
                    .setBlobRef("sha256:" + "0".repeat(64)).build());
        }
        return SeriesReceived.newBuilder()
                .setEventId("event-" + study)
                .setPatientKey("pk")
                .setStudyInstanceUid(study)
                .setSeriesInstanceUid(study + ".1")
                .setStudyDate(date)
                .setModality("MR")
                .setSeriesDescription("T1 MPRAGE")
                .setImageType("ORIGINAL\\PRIMARY\\M\\ND")
                .setMrAcquisitionType("3D")
                .setBodyPartExamined("BRAIN")
                .setInstances(instances)
                .setSource("c-store:TEST")
                .setFirstReceivedAtMillis(0)
                .setCompletedAtMillis(0);
    }

    private SeriesFixtures() {
    }
}
