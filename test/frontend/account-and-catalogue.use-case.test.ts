// The account and catalogue use-cases against in-memory users and products services: login never
// tells whether an account exists, the users service's refusals become the gateway's errors, an
// unchanged email is never sent (the service refuses its own email), and an unknown product is a 404.
import { describe, expect, it } from 'vitest';
import { accountUseCases } from '../../src/domain/account/account.js';
import { catalogueUseCases } from '../../src/domain/catalogue/catalogue.js';
import { AccountExists, CredentialsRefused, RegistrationFieldsRefused } from '../../src/upstreams/usuarios/account-client.js';
import { DNI, callerContext, countingLimits, fakeAccounts, fakeCatalogue, product, publicContext } from '../helpers/feature-fakes.js';

const ROSA = { email: 'rosa@example.com', password: 'secreta123', nombre: 'Rosa', apellido: 'Huaman', dni: '45678912', distrito: 'Surco' };

function setup() {
  const accounts = fakeAccounts({ [DNI.ana]: { dni: DNI.ana, email: 'ana@example.com', nombre: 'Ana', role: 'CLIENTE' } });
  const { limits, counted } = countingLimits();
  const useCases = accountUseCases({ accounts: accounts.client, limits, upstreamTimeoutMs: 1000 });
  return { accounts, counted, useCases };
}

describe('login and register', () => {
  it('count each attempt against the client address (one shared bucket without one) before calling the service', async () => {
    const { useCases, counted, accounts } = setup();
    expect(await useCases.login({ dni: DNI.ana, password: 'x' }, '203.0.113.7', publicContext())).toEqual({ token: 'service-token' });
    await useCases.register(ROSA, undefined, publicContext());
    expect(counted.logins).toEqual(['203.0.113.7', 'unknown']);
    expect(accounts.calls.map((call) => [call.op, call.args])).toEqual([
      ['login', [{ dni: DNI.ana, password: 'x' }]],
      ['register', [ROSA]],
    ]);
  });

  it('answer refused credentials 401 UNAUTHENTICATED in one wording, whatever the service said (no oracle)', async () => {
    const { useCases, accounts } = setup();
    accounts.state.loginFailure = new CredentialsRefused({ status: 400 });
    const error = await useCases.login({ dni: DNI.unregistered, password: 'x' }, undefined, publicContext()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, text: { key: 'auth.bad_credentials' } });
  });

  it.each([
    ['refused fields', new RegistrationFieldsRefused(['email', 'nombre']), { code: 'VALIDATION_ERROR', status: 400, details: { issues: [{ path: 'email' }, { path: 'nombre' }] } }],
    ['an existing account', new AccountExists({ status: 409 }), { code: 'CONFLICT', status: 409, text: { key: 'account.exists' } }],
  ])('answer a registration with %s in their own words', async (_case, failure, expected) => {
    const { useCases, accounts } = setup();
    accounts.state.registerFailure = failure;
    const error = await useCases.register(ROSA, undefined, publicContext()).catch((caught: unknown) => caught);
    expect(error).toMatchObject(expected);
  });

  it('let any other failure through as it is', async () => {
    const { useCases, accounts } = setup();
    const failure = new Error('usuarios unavailable');
    accounts.state.loginFailure = failure;
    accounts.state.registerFailure = failure;
    await expect(useCases.login({ dni: DNI.ana, password: 'x' }, undefined, publicContext())).rejects.toBe(failure);
    await expect(useCases.register(ROSA, undefined, publicContext())).rejects.toBe(failure);
  });
});

describe('the profile', () => {
  it("drops the caller's own current email, in any letter case (the service would refuse it), reading the profile first", async () => {
    const { useCases, accounts } = setup();
    const ctx = callerContext();
    await useCases.updateProfile({ email: 'ANA@example.com', nombre: 'Ana María' }, ctx);
    expect(accounts.calls.map((call) => [call.op, call.args])).toEqual([
      ['getProfile', []],
      ['updateProfile', [{ nombre: 'Ana María' }]],
    ]);
  });

  it('sends a new email, and reads nothing when no email is sent', async () => {
    const { useCases, accounts } = setup();
    await useCases.updateProfile({ email: 'ana.q@example.com' }, callerContext());
    await useCases.updateProfile({ distrito: 'Barranco' }, callerContext());
    expect(accounts.calls.map((call) => [call.op, call.args])).toEqual([
      ['getProfile', []],
      ['updateProfile', [{ email: 'ana.q@example.com' }]],
      ['updateProfile', [{ distrito: 'Barranco' }]],
    ]);
  });

  it('sends no change with less than one upstream timeout of budget left: 504 write_budget', async () => {
    const { useCases, accounts } = setup();
    await expect(useCases.updateProfile({ distrito: 'Barranco' }, callerContext(DNI.ana, 'CLIENTE', 500))).rejects.toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      details: { stage: 'write_budget' },
    });
    expect(accounts.ops()).not.toContain('updateProfile');
  });
});

describe('the catalogue', () => {
  const catalogue = fakeCatalogue([product(3, 'Amoxicilina 500mg')]);
  const useCases = catalogueUseCases(catalogue.client);

  it('answers a product as the service sends it, and an unknown one 404 PRODUCT_NOT_FOUND', async () => {
    expect(await useCases.getProduct(3, publicContext())).toMatchObject({ id: 3, nombre: 'Amoxicilina 500mg' });
    await expect(useCases.getProduct(999, publicContext())).rejects.toMatchObject({
      code: 'PRODUCT_NOT_FOUND',
      status: 404,
      details: { producto_id: 999 },
    });
  });
});
