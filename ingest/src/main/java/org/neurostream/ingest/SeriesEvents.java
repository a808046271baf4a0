package org.neurostream.ingest;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.ids.DerivedIds;

/** Builds the {@link SeriesReceived} event for a set of stored instances of one series. */
final class SeriesEvents {
    /** Instance number order (missing numbers last), SOP Instance UID to break ties: stable across re-sends. */
    private static final Comparator<StoredInstance> BY_INSTANCE_NUMBER = Comparator
            .comparing((StoredInstance i) -> i.header().instanceNumber(),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(i -> i.header().sopInstanceUid());

    static SeriesReceived build(String seriesUid, Collection<StoredInstance> instances, long firstReceivedMillis,
            long completedMillis) {
        List<StoredInstance> ordered = instances.stream().sorted(BY_INSTANCE_NUMBER).toList();
        // Series-level fields from the lowest-numbered instance, whatever order they arrived in.
        StoredInstance first = ordered.get(0);
        StoredInstance earliest = instances.stream()
                .min(Comparator.comparingLong(StoredInstance::receivedAtMillis)).orElseThrow();
        InstanceHeader h = first.header();
        return SeriesReceived.newBuilder()
                .setEventId(eventId(seriesUid, ordered))
                .setPatientKey(h.patientKey())
                .setStudyInstanceUid(h.studyInstanceUid())
                .setSeriesInstanceUid(seriesUid)
                .setStudyDate(h.studyDate())
                .setModality(h.modality())
                .setSeriesDescription(h.seriesDescription())
                .setProtocolName(h.protocolName())
                .setImageType(h.imageType())
                .setScanningSequence(h.scanningSequence())
                .setSequenceVariant(h.sequenceVariant())
                .setMrAcquisitionType(h.mrAcquisitionType())
                .setBodyPartExamined(h.bodyPartExamined())
                .setGeometry(h.geometry())
                .setInstances(ordered.stream().map(SeriesEvents::ref).toList())
                .setSource(earliest.source())
                .setFirstReceivedAtMillis(firstReceivedMillis)
                .setCompletedAtMillis(completedMillis)
                .build();
    }

    /** Hash of the series UID and its sorted (SOP Instance UID, blob) pairs: the same instances give the same id. */
    static String eventId(String seriesUid, Collection<StoredInstance> instances) {
        String[] parts = Stream.concat(Stream.of(seriesUid), instances.stream()
                .map(i -> i.header().sopInstanceUid() + ' ' + i.blobRef())
                .sorted()).toArray(String[]::new);
        return DerivedIds.of(parts);
    }

    private static InstanceRef ref(StoredInstance instance) {
        return InstanceRef.newBuilder()
                .setSopInstanceUid(instance.header().sopInstanceUid())
                .setSopClassUid(instance.header().sopClassUid())
                .setInstanceNumber(instance.header().instanceNumber())
                .setBlobRef(instance.blobRef())
                .build();
    }

    private SeriesEvents() {
    }
}
