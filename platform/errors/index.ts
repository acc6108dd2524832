export { PlatformError, PlatformErrorCode, UnreachableCaseError, isPlatformError } from './PlatformError.js';
