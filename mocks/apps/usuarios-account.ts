// Accounts on the users service: `POST /api/auth/login` and `/api/auth/register` (public) and
// `PUT /api/user/me`, with the service's bean validation, lookups and error bodies (its
// GlobalExceptionHandler). Login and registration answer the service's own HS256 token.
import type { Context, Hono } from 'hono';
import { signMockToken } from '../auth.js';
import type { Usuario } from '../data/types.js';
import type { MockState } from '../state.js';
import { springError, springInternalError, springValidationError } from './framework-errors.js';
import { isPlainObject, readJsonBody } from './request-body.js';

/** The service's default `jwt.expiration` (86400000 ms). */
const TOKEN_LIFETIME_SECONDS = 86_400;
/** Spring Security's BCryptPasswordEncoder refuses to encode more (and compares only these). */
const BCRYPT_MAX_BYTES = 72;
/** Hibernate's default `varchar(255)` for the String columns; `dni` is `length = 12`. */
const COLUMN_MAX = 255;
const DNI_COLUMN_MAX = 12;

export interface AccountRouteDeps {
  /** The stored user of a valid bearer token, as the service's JWT filter loads it. */
  findCaller(c: Context): Promise<Usuario | undefined>;
  accessDenied(c: Context): Response;
  publicUser(user: Usuario): Omit<Usuario, 'id' | 'password'>;
  jwtSecret: string;
}

type Dto = Record<string, string | null>;

/**
 * Jackson binding a JSON object onto a DTO of String fields: scalars become strings, unknown
 * fields are ignored. `undefined` when Spring cannot read it (another media type, no body, bad
 * JSON, not an object, an object or array for a String): the catch-all handler's 500.
 */
async function readDto(c: Context, fields: readonly string[]): Promise<Dto | undefined> {
  if (!/\bjson\b/i.test(c.req.header('content-type') ?? '')) return undefined;
  const body = await readJsonBody(c);
  if (body.kind !== 'json' || !isPlainObject(body.value)) return undefined;
  const dto: Dto = {};
  for (const field of fields) {
    const value = body.value[field];
    if (value === undefined || value === null) dto[field] = null;
    else if (typeof value === 'string') dto[field] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') dto[field] = String(value);
    else return undefined;
  }
  return dto;
}

/** Java's `String.trim()`: strips every char up to U+0020 at both ends. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** `@NotBlank` / `StringUtils.hasText`. */
function hasText(value: string | null): value is string {
  return value !== null && javaTrim(value) !== '';
}

const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+)*$/i;
const EMAIL_DOMAIN_LABEL = /^[a-z0-9\u0080-\uffff](?:[a-z0-9\u0080-\uffff-]*[a-z0-9\u0080-\uffff])?$/i;
const EMAIL_IP_LITERAL = /^\[[0-9a-f:.]+\]$/i;

/** Hibernate Validator's `@Email`: null and "" pass; a local part, the last `@`, a host name (no TLD needed) or an IP literal. */
function isEmailOrEmpty(value: string | null): boolean {
  if (value === null || value === '') return true;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !EMAIL_LOCAL.test(local)) return false;
  if (EMAIL_IP_LITERAL.test(domain)) return true;
  return domain.length > 0 && domain.length <= 255 && domain.split('.').every((label) => label.length <= 63 && EMAIL_DOMAIN_LABEL.test(label));
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/** BCrypt compares the first 72 UTF-8 bytes only. */
function bcryptMatches(raw: string, stored: string): boolean {
  const bytes = (text: string) => Buffer.from(text, 'utf8').subarray(0, BCRYPT_MAX_BYTES);
  return bytes(raw).equals(bytes(stored));
}

const REGISTER_REQUIRED: ReadonlyArray<[field: string, message: string]> = [
  ['email', 'El email es obligatorio'],
  ['password', 'La contraseña es obligatoria'],
  ['nombre', 'El nombre es obligatorio'],
  ['apellido', 'El apellido es obligatorio'],
  ['dni', 'El dni es obligatorio'],
  ['distrito', 'El distrito es obligatorio'],
];

/** What the entity (`@Pattern(\d{8,})` on dni), the columns and BCrypt accept when the user is saved. */
function savable(dto: Record<string, string>): boolean {
  const { dni = '', password = '' } = dto;
  const columns = ['email', 'nombre', 'apellido', 'distrito'].every((field) => (dto[field] ?? '').length <= COLUMN_MAX);
  return /^\d{8,}$/.test(dni) && dni.length <= DNI_COLUMN_MAX && utf8Length(password) <= BCRYPT_MAX_BYTES && columns;
}

export function registerAccountRoutes(app: Hono, state: MockState, deps: AccountRouteDeps): void {
  const users = () => state.data.usuarios.users;
  const issueToken = async (user: Usuario) => ({
    token: await signMockToken(deps.jwtSecret, { dni: user.dni, role: user.role, expiresInSeconds: TOKEN_LIFETIME_SECONDS }),
  });

  app.post('/api/auth/login', async (c) => {
    const dto = await readDto(c, ['email', 'dni', 'password']);
    if (!dto) return springInternalError(c, state);
    const refused: Record<string, string> = {};
    if (!isEmailOrEmpty(dto['email'] ?? null)) refused['email'] = 'Formato de email inválido';
    // Sic: the service's message has this typo.
    if (!hasText(dto['password'] ?? null)) refused['password'] = 'La constraseña es obligatoria';
    if (Object.keys(refused).length > 0) return springValidationError(c, state, refused);

    // With both, the email is the one looked up; neither is the same exception as an unknown user.
    const email = dto['email'] ?? null;
    const dni = dto['dni'] ?? null;
    let user: Usuario | undefined;
    if (hasText(email)) user = users().find((candidate) => candidate.email === email);
    else if (hasText(dni)) user = users().find((candidate) => candidate.dni === dni);
    else return springError(c, state, 400, 'Usuario no encontrado', 'Debe proporcionar email o dni');
    if (!user) return springError(c, state, 400, 'Usuario no encontrado', 'Usuario no encontrado');
    if (!bcryptMatches(dto['password'] ?? '', user.password)) {
      return springError(c, state, 401, 'Error de autenticación', 'Contraseña incorrecta');
    }
    return c.json(await issueToken(user));
  });

  app.post('/api/auth/register', async (c) => {
    const dto = await readDto(c, REGISTER_REQUIRED.map(([field]) => field));
    if (!dto) return springInternalError(c, state);
    const refused: Record<string, string> = {};
    for (const [field, message] of REGISTER_REQUIRED) {
      if (!hasText(dto[field] ?? null)) refused[field] = message;
    }
    if (refused['email'] === undefined && !isEmailOrEmpty(dto['email'] ?? null)) refused['email'] = 'Formato de email inválido';
    if (Object.keys(refused).length > 0) return springValidationError(c, state, refused);

    const fields = dto as Record<string, string>;
    const { email = '', dni = '' } = fields;
    if (users().some((user) => user.email === email)) {
      return springError(c, state, 409, 'Usuario ya existe', `Ya existe un usuario con el email: ${email}`);
    }
    if (users().some((user) => user.dni === dni)) {
      return springError(c, state, 409, 'Usuario ya existe', `Ya existe un usuario con el DNI: ${dni}`);
    }
    // Anything failing while the user is saved becomes a RegistrationException: 400 without validationErrors.
    if (!savable(fields)) return springError(c, state, 400, 'Error en el registro', 'Error en el proceso de registro');

    const store = state.data.usuarios;
    const user: Usuario = {
      id: store.nextUserId++,
      dni,
      email,
      nombre: fields['nombre'] ?? '',
      apellido: fields['apellido'] ?? '',
      role: 'CLIENTE',
      distrito: fields['distrito'] ?? '',
      password: fields['password'] ?? '',
    };
    store.users.push(user);
    // 200, not 201: the controller answers ResponseEntity.ok.
    return c.json(await issueToken(user));
  });

  // Another method on these paths is HttpRequestMethodNotSupportedException, which the
  // catch-all handler answers as a 500.
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], ['/api/auth/login', '/api/auth/register'], (c) => springInternalError(c, state));

  app.put('/api/user/me', async (c) => {
    // Spring reads and validates the body before @PreAuthorize runs: a bad body wins over a bad token.
    const dto = await readDto(c, ['nombre', 'apellido', 'distrito', 'email', 'password']);
    if (!dto) return springInternalError(c, state);
    if (!isEmailOrEmpty(dto['email'] ?? null)) return springValidationError(c, state, { email: 'El email debe ser válido' });
    const caller = await deps.findCaller(c);
    if (!caller) return deps.accessDenied(c);

    // Blank fields are ignored; the rest are trimmed (the password is encoded as sent).
    const changes: Partial<Usuario> = {};
    for (const field of ['nombre', 'apellido', 'email', 'distrito'] as const) {
      const value = dto[field] ?? null;
      if (hasText(value)) changes[field] = javaTrim(value);
    }
    const password = dto['password'] ?? null;
    if (hasText(password)) changes.password = password;

    // The service looks the new email up among all users, the caller included, so even the
    // caller's own current email is refused; the refusal is an IllegalArgumentException, which
    // only the catch-all handler answers: 500, not 409. Nothing is saved (@Transactional).
    if (changes.email !== undefined && users().some((user) => user.email === changes.email)) return springInternalError(c, state);
    if (changes.password !== undefined && utf8Length(changes.password) > BCRYPT_MAX_BYTES) return springInternalError(c, state);
    const tooLong = (['nombre', 'apellido', 'email', 'distrito'] as const).some((field) => (changes[field] ?? '').length > COLUMN_MAX);
    if (tooLong) return springInternalError(c, state);

    Object.assign(caller, changes);
    return c.json(deps.publicUser(caller));
  });
}
