export { applyRedaction, redactionFor } from './applyRedaction.js';
export type { RedactionRule, RedactionStrategy } from './applyRedaction.js';
export { createTokenizer } from './createTokenizer.js';
export type { Tokenizer } from './createTokenizer.js';
export { MASK_KINDS, maskValue } from './maskValue.js';
export type { MaskKind } from './maskValue.js';
export { createCursorSealer } from './createCursorSealer.js';
export type { CursorSealer } from './createCursorSealer.js';
