export { DEPENDENCY_UNAVAILABLE_CODES, isDependencyUnavailable, isPlatformError, PlatformError, PlatformErrorCode, UnreachableCaseError } from './PlatformError.js';
