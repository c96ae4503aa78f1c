// readPrescription and uploadPrescription against in-memory prescription services: the gateway is
// the only guard of a prescription (the service checks no token), and an upload whose PDF names
// someone else is kept but shown to a pharmacist.
import { describe, expect, it } from 'vitest';
import { readPrescription } from '../../src/domain/prescriptions/read-prescription.js';
import { uploadPrescription, type PdfInTransit } from '../../src/domain/prescriptions/upload-prescription.js';
import { DNI, adminContext, callerContext, fakePrescriptionUpstreams, fakeUploads, receta, RecordingLogger } from '../helpers/feature-fakes.js';

const ANA_RECETA = 'a00000000000000000000001';
const LUIS_RECETA = 'a00000000000000000000002';
const UNKNOWN = 'ffffffffffffffffffffffff';

describe('readPrescription', () => {
  const { prescriptions } = fakePrescriptionUpstreams({
    recetas: [receta(ANA_RECETA), receta(LUIS_RECETA, { pacienteDNI: DNI.luis })],
  });

  it('serves the patient their prescription and an ADMIN anyone\'s', async () => {
    expect(await readPrescription(prescriptions, ANA_RECETA, callerContext())).toMatchObject({ _id: ANA_RECETA, pacienteDNI: DNI.ana });
    expect(await readPrescription(prescriptions, LUIS_RECETA, adminContext())).toMatchObject({ pacienteDNI: DNI.luis });
  });

  it("answers another patient's prescription exactly like an unknown one: 404 PRESCRIPTION_NOT_FOUND", async () => {
    for (const id of [LUIS_RECETA, UNKNOWN]) {
      await expect(readPrescription(prescriptions, id, callerContext())).rejects.toMatchObject({
        code: 'PRESCRIPTION_NOT_FOUND',
        status: 404,
        details: { receta_id: id },
      });
    }
    await expect(readPrescription(prescriptions, UNKNOWN, adminContext())).rejects.toMatchObject({ code: 'PRESCRIPTION_NOT_FOUND' });
  });
});

describe('uploadPrescription', () => {
  /** A PDF whose client body completes (or fails) when the test says. */
  function pdfInTransit() {
    let complete!: () => void;
    let fail!: (error: Error) => void;
    const sent = new Promise<void>((resolve, reject) => {
      complete = resolve;
      fail = reject;
    });
    sent.catch(() => undefined);
    const pdf: PdfInTransit = { filename: 'receta.pdf', bytes: (async function* () {})(), sent };
    return { pdf, complete, fail };
  }

  function setup(readPatient: string = DNI.ana) {
    const uploads = fakeUploads({ pacienteDNI: readPatient });
    const log = new RecordingLogger();
    const upload = (pdf: PdfInTransit, ctx = callerContext()) => uploadPrescription({ uploads: uploads.client, logger: log, uploadTimeoutMs: 1000 }, pdf, ctx);
    return { uploads, log, upload };
  }

  it("streams the PDF to the service once and answers the service's answer, silently for the uploader's own", async () => {
    const { uploads, log, upload } = setup();
    const { pdf, complete } = pdfInTransit();
    complete();
    expect(await upload(pdf)).toBe(uploads.answer);
    expect(uploads.calls.map((call) => call.args[0])).toEqual([pdf]);
    expect(log.entries).toEqual([]);
  });

  it('keeps a PDF naming another patient and warns a pharmacist with both DNIs', async () => {
    const { uploads, log, upload } = setup(DNI.luis);
    const { pdf, complete } = pdfInTransit();
    complete();
    const ctx = callerContext();
    expect((await upload(pdf, ctx)).receta.pacienteDNI).toBe(DNI.luis);
    expect(log.at('warn')).toEqual([
      expect.objectContaining({ fields: { requestId: ctx.requestId, recetaId: uploads.answer.receta._id, uploaderDni: DNI.ana, readPatientDni: DNI.luis } }),
    ]);
  });

  it("answers the client's body failure (a second file, a limit, a stall) even while the service has not answered", async () => {
    const { uploads, upload } = setup();
    uploads.client.upload = () => new Promise(() => undefined);
    const { pdf, fail } = pdfInTransit();
    const refused = new Error('second file');
    fail(refused);
    await expect(upload(pdf)).rejects.toBe(refused);
  });

  it('sends nothing with less than the upload cap of budget left: 504 write_budget', async () => {
    const { uploads, upload } = setup();
    const { pdf } = pdfInTransit();
    await expect(upload(pdf, callerContext(DNI.ana, 'CLIENTE', 800))).rejects.toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      details: { stage: 'write_budget' },
    });
    expect(uploads.calls).toEqual([]);
  });
});
