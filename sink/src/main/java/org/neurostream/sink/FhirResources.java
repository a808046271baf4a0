package org.neurostream.sink;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.neurostream.imaging.Uids;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.StudyRef;

/**
 * The FHIR R4 form of a result, after the HL7 "DICOM SR to FHIR" mapping and IHE AIR: one Observation per
 * measurement (UCUM quantity, derivedFrom and partOf the follow-up ImagingStudy, device = the algorithm as a
 * contained Device) and a DiagnosticReport over them (imagingStudy both visits, key image as a PNG presentedForm).
 * Each resource carries an identifier derived from the result id, the key of its conditional create.
 */
public final class FhirResources {
    /** DICOM UIDs as identifiers, as the DICOM-to-FHIR mapping writes them. */
    public static final String DICOM_UID_SYSTEM = "urn:dicom:uid";
    /** Our identifiers of Observations (value: result id / measurement key). */
    public static final String OBSERVATION_ID_SYSTEM = "urn:oid:" + Uids.fromName("neurostream/fhir/observation-id");
    /** The pseudonymous patient key (the sink never holds a FHIR Patient id). */
    public static final String PATIENT_KEY_SYSTEM = "urn:oid:" + Uids.fromName("neurostream/fhir/patient-key");

    private final double declineThreshold;

    public FhirResources(double declineThreshold) {
        this.declineThreshold = declineThreshold;
    }

    public static Identifier reportIdentifier(ResultPackage p) {
        return new Identifier().setSystem(DICOM_UID_SYSTEM).setValue("urn:oid:" + p.sr().sopInstanceUid());
    }

    public static Identifier observationIdentifier(ResultPackage p, Measurement m) {
        return new Identifier().setSystem(OBSERVATION_ID_SYSTEM).setValue(p.resultId() + "/" + m.key());
    }

    public List<Observation> observations(ResultPackage p) {
        AnalysisResult r = p.result();
        List<Observation> out = new ArrayList<>();
        for (Measurement m : p.measurements()) {
            Observation o = new Observation();
            o.addIdentifier(observationIdentifier(p, m));
            o.setStatus(Observation.ObservationStatus.FINAL);
            o.addCategory(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging")));
            CodeableConcept code = new CodeableConcept(coding(m.concept()));
            code.setText(m.concept().meaning() + " (" + m.group() + ")");
            o.setCode(code);
            o.setSubject(subject(r));
            o.setEffective(new DateTimeType(new Date(r.getCreatedAtMillis())));
            o.setIssuedElement(new InstantType(new Date(r.getCreatedAtMillis())));
            o.addPartOf(imagingStudy(r.getCurrent()));
            o.addDerivedFrom(imagingStudy(r.getCurrent()));
            if (r.getPrior() != null && !"current".equals(m.timePoint())) {
                o.addDerivedFrom(imagingStudy(r.getPrior()));
            }
            o.setValue(new Quantity().setValue(m.value()).setUnit(m.unit().meaning())
                    .setSystem("http://unitsofmeasure.org").setCode(m.unit().value()));
            if (m.key().startsWith("lesion-")) {
                o.setBodySite(new CodeableConcept(coding(Code.sct("12738006", "Brain"))));
            }
            o.setText(narrative(String.format(Locale.ROOT, "%s (%s): %s %s", m.concept().meaning(), m.group(),
                    SrBuilder.decimal(m.value()), m.unit().value())));
            Device device = device(r);
            o.addContained(device);
            o.setDevice(new Reference("#" + device.getIdElement().getIdPart()));
            out.add(o);
        }
        return out;
    }

    /** The report over the Observations, given as references the server assigned (e.g. {@code Observation/12}). */
    public DiagnosticReport report(ResultPackage p, List<String> observationRefs) {
        AnalysisResult r = p.result();
        DiagnosticReport d = new DiagnosticReport();
        d.addIdentifier(reportIdentifier(p));
        d.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        d.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD",
                "Radiology")));
        d.setCode(new CodeableConcept(coding(Code.loinc("24590-2", "MR Brain")))
                .setText(SrBuilder.TITLE));
        d.setSubject(subject(r));
        d.setEffective(new DateTimeType(new Date(r.getCreatedAtMillis())));
        d.setIssuedElement(new InstantType(new Date(r.getCreatedAtMillis())));
        for (String ref : observationRefs) {
            d.addResult(new Reference(ref));
        }
        d.addImagingStudy(imagingStudy(r.getCurrent()));
        if (r.getPrior() != null) {
            d.addImagingStudy(imagingStudy(r.getPrior()));
        }
        List<String> conclusion = new ArrayList<>();
        if (r.getPDecline() != null) {
            boolean decline = r.getPDecline() >= declineThreshold;
            Code c = decline ? Code.own("NS-DECLINE", "Decline") : Code.own("NS-STABLE", "Stable");
            d.addConclusionCode(new CodeableConcept(coding(c)));
            conclusion.add(String.format(Locale.ROOT, "%s (P(decline) %.4f)", c.meaning(), r.getPDecline()));
        }
        if (r.getNewLesions() != null) {
            int n = r.getNewLesions().getCount();
            Code c = n > 0 ? Code.own("NS-NEWLES-YES", "New lesions present") : Code.own("NS-NEWLES-NO",
                    "No new lesions");
            d.addConclusionCode(new CodeableConcept(coding(c)));
            conclusion.add(String.format(Locale.ROOT, "%d new lesion(s), %.2f mL", n,
                    r.getNewLesions().getTotalVolumeMl()));
        }
        if (r.getTissue() != null) {
            conclusion.add(String.format(Locale.ROOT, "brain volume change %+.2f %%", r.getTissue().getPbvcPercent()));
        }
        conclusion.add(SrBuilder.DISCLAIMER);
        d.setConclusion(String.join("; ", conclusion));
        d.setText(narrative(SrBuilder.TITLE + ": " + d.getConclusion()));
        if (p.keyImagePng() != null) {
            d.addPresentedForm(new Attachment().setContentType("image/png").setTitle("Key image: new lesions in red")
                    .setData(p.keyImagePng()));
        }
        return d;
    }

    private static Device device(AnalysisResult r) {
        Device device = new Device();
        device.setId("algorithm");
        device.addDeviceName().setName("NeuroStream").setType(Device.DeviceNameType.MANUFACTURERNAME);
        device.setManufacturer("NeuroStream");
        for (ModelInfo m : r.getModels()) {
            device.addDeviceName().setName(m.getName()).setType(Device.DeviceNameType.MODELNAME);
            device.addVersion().setType(new CodeableConcept().setText(m.getName())).setValue(m.getVersion())
                    .setComponent(new Identifier().setSystem("urn:ietf:rfc:3986")
                            .setValue("urn:sha256:" + m.getSha256()));
        }
        return device;
    }

    private static Reference subject(AnalysisResult r) {
        return new Reference().setType("Patient")
                .setIdentifier(new Identifier().setSystem(PATIENT_KEY_SYSTEM).setValue(r.getPatientKey()));
    }

    private static Reference imagingStudy(StudyRef s) {
        return new Reference().setType("ImagingStudy").setIdentifier(new Identifier().setSystem(DICOM_UID_SYSTEM)
                .setValue("urn:oid:" + s.getStudyInstanceUid()));
    }

    /** Generated narrative: figures and codes only, never patient data. */
    private static Narrative narrative(String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        Narrative n = new Narrative();
        n.setStatus(Narrative.NarrativeStatus.GENERATED);
        n.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + escaped + "</div>");
        return n;
    }

    static Coding coding(Code c) {
        return new Coding(c.fhirSystem(), c.value(), c.meaning());
    }
}
