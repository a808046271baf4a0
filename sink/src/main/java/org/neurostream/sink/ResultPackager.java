package org.neurostream.sink;

import com.pixelmed.dicom.DicomException;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.schemas.AnalysisResult;

/** Builds everything a result turns into, once: SEG and key image (when it has masks), then the SR over them. */
public final class ResultPackager {
    private final SourceImages sources;
    private final SrBuilder sr;
    private final SegBuilder seg;
    private final KeyImageBuilder keyImage;
    private final boolean segEnabled;
    private final boolean keyImageEnabled;

    public ResultPackager(BlobStore blobs, double declineThreshold, ZoneId zone, boolean segEnabled,
            boolean keyImageEnabled) {
        this.sources = new SourceImages(blobs);
        this.sr = new SrBuilder(blobs, declineThreshold, zone);
        this.seg = new SegBuilder(blobs, zone);
        this.keyImage = new KeyImageBuilder(blobs, zone);
        this.segEnabled = segEnabled;
        this.keyImageEnabled = keyImageEnabled;
    }

    public ResultPackager(BlobStore blobs) {
        this(blobs, 0.5, ZoneId.systemDefault(), true, true);
    }

    public ResultPackage build(AnalysisResult result) throws IOException, DicomException {
        Optional<SegBuilder.Built> segmentation = segEnabled ? seg.build(result) : Optional.empty();
        Optional<KeyImageBuilder.Built> key = keyImageEnabled ? keyImage.build(result) : Optional.empty();
        DicomObject report = sr.build(result, new SrBuilder.Companions(
                segmentation.map(SegBuilder.Built::seg).orElse(null),
                segmentation.map(SegBuilder.Built::segments).orElse(List.of()),
                key.map(KeyImageBuilder.Built::dicom).orElse(null)));
        List<DicomObject> objects = new ArrayList<>();
        objects.add(report);
        segmentation.ifPresent(s -> objects.add(s.seg()));
        key.ifPresent(k -> objects.add(k.dicom()));
        ResultPackage.PatientInfo patient = SourceImages.patient(
                sources.header(result.getCurrent().getInstances().get(0)));
        return new ResultPackage(result, objects, Measurements.of(result),
                key.map(KeyImageBuilder.Built::png).orElse(null), patient);
    }
}
