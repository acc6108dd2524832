/** Error codes that leave a subgraph's context factory. Callers switch on `code`, never on text. */
export const SubgraphErrorCode = {
  /** A row scope names a dimension or value the subgraph version does not declare. */
  RowScopeInvalid: 'ROW_SCOPE_INVALID',
} as const;
export type SubgraphErrorCode = (typeof SubgraphErrorCode)[keyof typeof SubgraphErrorCode];

export class SubgraphError extends Error {
  readonly code: SubgraphErrorCode;

  constructor(code: SubgraphErrorCode, message: string) {
    super(message);
    this.name = 'SubgraphError';
    this.code = code;
  }
}

export function isSubgraphError(error: unknown, code?: SubgraphErrorCode): error is SubgraphError {
  return error instanceof SubgraphError && (code === undefined || error.code === code);
}
