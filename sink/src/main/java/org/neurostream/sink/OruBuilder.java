package org.neurostream.sink;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.NM;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.ModelInfo;

/**
 * HL7 v2.5.1 ORU^R01: PID from the follow-up's DICOM header, one OBR for the MR brain comparison, one OBX (NM, UCUM
 * units) per measurement, the disclaimer as an NTE. MSH-10 derives from the result id, so a re-send carries the same
 * control id and a RIS that de-duplicates by it keeps one result.
 */
public final class OruBuilder {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final HapiContext hl7;
    private final String sendingApplication;
    private final String sendingFacility;
    private final String receivingApplication;
    private final String receivingFacility;
    private final ZoneId zone;

    public OruBuilder(String sendingApplication, String sendingFacility, String receivingApplication,
            String receivingFacility, ZoneId zone) {
        this.hl7 = new DefaultHapiContext();
        // MSH-10 is set from the result id; HAPI's default id generator would write an id_file into the cwd.
        this.hl7.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        this.sendingApplication = sendingApplication;
        this.sendingFacility = sendingFacility;
        this.receivingApplication = receivingApplication;
        this.receivingFacility = receivingFacility;
        this.zone = zone;
    }

    HapiContext context() {
        return hl7;
    }

    public ORU_R01 build(ResultPackage p) throws HL7Exception, IOException {
        AnalysisResult r = p.result();
        String when = TS.format(Instant.ofEpochMilli(r.getCreatedAtMillis()).atZone(zone));
        ORU_R01 msg = new ORU_R01();
        msg.setParser(hl7.getPipeParser());
        msg.initQuickstart("ORU", "R01", "P");
        MSH msh = msg.getMSH();
        msh.getSendingApplication().getNamespaceID().setValue(sendingApplication);
        msh.getSendingFacility().getNamespaceID().setValue(sendingFacility);
        msh.getReceivingApplication().getNamespaceID().setValue(receivingApplication);
        msh.getReceivingFacility().getNamespaceID().setValue(receivingFacility);
        msh.getDateTimeOfMessage().getTime().setValue(when);
        msh.getMessageControlID().setValue(DeterministicUids.hl7MessageControlId(r.getResultId()));
        msh.getCharacterSet(0).setValue("UNICODE UTF-8");

        PID pid = msg.getPATIENT_RESULT().getPATIENT().getPID();
        pid.getSetIDPID().setValue("1");
        ResultPackage.PatientInfo patient = p.patient();
        pid.getPatientIdentifierList(0).getIDNumber().setValue(patient.id());
        if (!patient.issuer().isEmpty()) {
            pid.getPatientIdentifierList(0).getAssigningAuthority().getNamespaceID().setValue(patient.issuer());
        }
        String[] name = patient.name().split("\\^", -1);
        pid.getPatientName(0).getFamilyName().getSurname().setValue(name.length > 0 ? name[0] : "");
        if (name.length > 1) {
            pid.getPatientName(0).getGivenName().setValue(name[1]);
        }
        if (!patient.birthDate().isEmpty()) {
            pid.getDateTimeOfBirth().getTime().setValue(patient.birthDate());
        }
        if (!patient.sex().isEmpty()) {
            pid.getAdministrativeSex().setValue(patient.sex());
        }

        ORU_R01_ORDER_OBSERVATION order = msg.getPATIENT_RESULT().getORDER_OBSERVATION();
        OBR obr = order.getOBR();
        obr.getSetIDOBR().setValue("1");
        obr.getFillerOrderNumber().getEntityIdentifier().setValue(DeterministicUids.hl7MessageControlId(
                r.getResultId()));
        obr.getFillerOrderNumber().getNamespaceID().setValue(sendingApplication);
        obr.getUniversalServiceIdentifier().getIdentifier().setValue("24590-2");
        obr.getUniversalServiceIdentifier().getText().setValue("MR Brain");
        obr.getUniversalServiceIdentifier().getNameOfCodingSystem().setValue("LN");
        obr.getObservationDateTime().getTime().setValue(when);
        obr.getResultsRptStatusChngDateTime().getTime().setValue(when);
        if (!patient.accessionNumber().isEmpty()) {
            obr.getPlacerField1().setValue(patient.accessionNumber());
        }
        obr.getDiagnosticServSectID().setValue("RAD");
        obr.getResultStatus().setValue("F");
        order.getNTE(0).getSetIDNTE().setValue("1");
        order.getNTE(0).getComment(0).setValue(SrBuilder.DISCLAIMER);

        List<Measurement> measurements = p.measurements();
        String equipment = equipment(r.getModels());
        for (int i = 0; i < measurements.size(); i++) {
            Measurement m = measurements.get(i);
            OBX obx = order.getOBSERVATION(i).getOBX();
            obx.getSetIDOBX().setValue(String.valueOf(i + 1));
            obx.getValueType().setValue("NM");
            obx.getObservationIdentifier().getIdentifier().setValue(m.concept().value());
            obx.getObservationIdentifier().getText().setValue(m.concept().meaning());
            obx.getObservationIdentifier().getNameOfCodingSystem().setValue(m.concept().hl7System());
            obx.getObservationSubID().setValue(m.key());
            NM value = new NM(msg);
            value.setValue(SrBuilder.decimal(m.value()));
            obx.getObservationValue(0).setData(value);
            CE units = obx.getUnits();
            units.getIdentifier().setValue(m.unit().value());
            units.getText().setValue(m.unit().meaning());
            units.getNameOfCodingSystem().setValue("UCUM");
            obx.getObservationResultStatus().setValue("F");
            obx.getDateTimeOfTheObservation().getTime().setValue(when);
            obx.getEquipmentInstanceIdentifier(0).getEntityIdentifier().setValue(equipment);
        }
        return msg;
    }

    public String encode(ResultPackage p) throws HL7Exception, IOException {
        return hl7.getPipeParser().encode(build(p));
    }

    private static String equipment(List<ModelInfo> models) {
        String s = String.join(" ", models.stream().map(m -> m.getName() + "-" + m.getVersion()).toList());
        return s.isEmpty() ? "NeuroStream" : (s.length() > 199 ? s.substring(0, 199) : s);
    }
}
