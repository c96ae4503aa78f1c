/** The request context lives in src/context, shared by the domain and the upstream clients. */
export * from '../context/request-context.js';
