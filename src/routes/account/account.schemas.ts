import { z } from '@hono/zod-openapi';

const Dni = z.string().regex(/^\d{8,20}$/, 'issue.dni').openapi({ example: '71234567' });
const Email = z.email({ error: 'issue.email' }).max(254).openapi({ example: 'ana@example.com' });
const Password = z.string().min(1, 'issue.password').max(255).openapi({ example: 'ana12345' });
const Text = z.string().min(1, 'issue.text_empty').max(255);

/** Login with exactly one of `dni` and `email`; only those and `password` are forwarded. */
export const LoginBodySchema = z
  .object({ dni: Dni.optional(), email: Email.optional(), password: Password })
  .superRefine((body, ctx) => {
    if ((body.dni === undefined) === (body.email === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['dni'], message: 'issue.login_identifier' });
    }
  })
  .openapi('LoginRequest', { example: { dni: '71234567', password: 'ana12345' } });

export const RegisterBodySchema = z
  .object({ email: Email, password: Password, nombre: Text, apellido: Text, dni: Dni, distrito: Text })
  .openapi('RegisterRequest', {
    example: { email: 'rosa@example.com', password: 'secreta123', nombre: 'Rosa', apellido: 'Huaman', dni: '45678912', distrito: 'Surco' },
  });

/** An empty string is "no change" (the service ignores it), so it is accepted and not forwarded. */
const emptyOr = <T extends z.ZodType>(schema: T) => z.union([z.literal(''), schema]);

/** Any of the five fields; unknown fields are dropped, not refused; `{}` is valid. */
export const ProfileChangesSchema = z
  .object({
    nombre: emptyOr(Text).optional(),
    apellido: emptyOr(Text).optional(),
    distrito: emptyOr(Text).optional(),
    email: emptyOr(Email).optional(),
    password: emptyOr(Password).optional(),
  })
  .openapi('ProfileChanges', { example: { distrito: 'Barranco' } });

export const IssuedTokenSchema = z
  .object({ token: z.string().openapi({ description: "The users service's JWT; send it as `Authorization: Bearer <token>`" }) })
  .openapi('IssuedToken');

export const ProfileSchema = z
  .looseObject({
    dni: z.string(),
    email: z.string().optional(),
    nombre: z.string().optional(),
    apellido: z.string().optional(),
    role: z.string(),
    distrito: z.string().optional(),
  })
  .openapi('Profile', {
    example: { dni: '71234567', email: 'ana@example.com', nombre: 'Ana', apellido: 'Quispe', role: 'CLIENTE', distrito: 'Miraflores' },
  });
