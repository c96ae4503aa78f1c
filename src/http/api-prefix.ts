/** Where the API is mounted: the routes, the edge's Server-Timing rule and the probe fast path share it. */
export const API_PREFIX = '/api/orchestrator';
