/** API keys: routes and the service whose `authenticate` resolves bearer keys for auth. */
export { apiKeysRoutes } from './api-keys.routes';
export { createApiKeysService, type ApiKeysService, type ApiKeysServiceDeps } from './api-keys.service';
