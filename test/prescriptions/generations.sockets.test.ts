// Both generations of the prescriptions service over real sockets: the gateway started with
// RECETAS_API=estado or validar in front of the mock server playing the same generation. Their
// refusals (422, 501) are prescriptions.http and validar.http, in process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS, type RecordedCall } from '../../mocks/index.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

describe.each(['estado', 'validar'] as const)('RECETAS_API=%s over sockets', (generation) => {
  let sut: GatewayUnderTest;
  beforeAll(async () => {
    sut = await startGatewayUnderTest({ RECETAS_API: generation });
  });
  afterAll(async () => {
    await sut.close();
  });

  const put = (path: string, token: string, body: unknown) =>
    fetch(`${sut.url}/api/orchestrator${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const recetasWrites = async () => {
    const calls = (await (await fetch(`${sut.upstreams.urls.recetas}/__mock/calls`)).json()) as RecordedCall[];
    return calls.filter((call) => call.method === 'PUT').map((call) => call.path);
  };

  it('validates a good prescription through the route of its generation', async () => {
    await sut.resetMocks();
    const response = await put(`/recetas/validar/${SEED_RECETA_IDS.anaPendingValid}`, sut.clienteToken, {});
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      mensaje: 'Receta validada y actualizada exitosamente',
      receta: { estadoValidacion: 'validada' },
      validaciones: { medico_valido: true, paciente_valido: true },
    });
    const route = generation === 'estado' ? `/api/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}` : `/api/recetas/${SEED_RECETA_IDS.anaPendingValid}/validar`;
    expect(await recetasWrites()).toEqual([route]);
  });
});
