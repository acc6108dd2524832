import type { ContextModule } from '../../platform/context/index.js';
import { paymentsContext } from './paymentsContext.js';
import { paymentsV1Subgraph } from './paymentsV1Subgraph.js';

/** The payments context as the composition root sees it. */
export const paymentsContextModule: ContextModule = {
  name: 'payments',
  owner: 'payments-team',
  description: 'Payment attempts of orders as the payment providers report them: authorizations, fraud verdicts, captures, refunds, voids and failures, with exact amounts and event times.',
  ingestion: paymentsContext,
  subgraphs: [paymentsV1Subgraph],
};
