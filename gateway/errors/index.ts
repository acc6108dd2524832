export { formatGatewayError } from './formatGatewayError.js';
export { GatewayErrorCode, HTTP_STATUS_OF } from './GatewayErrorCode.js';
export { logUnexpected } from './logUnexpected.js';
export { correlationIdOf, currentRequestScope, noteContract, noteDocument, noteErrorCode, noteOperation, notePrincipal, runInRequestScope } from './requestScope.js';
export type { RequestOutcome, RequestScope } from './requestScope.js';
export { sendGatewayError } from './sendGatewayError.js';
export { describeDependencyOutage } from './describeDependencyOutage.js';
export type { Dependency, DependencyOutage } from './describeDependencyOutage.js';
export { useDependencyOutages } from './useDependencyOutages.js';
