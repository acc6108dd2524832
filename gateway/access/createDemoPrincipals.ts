import type { PrincipalStore } from './createPrincipalStore.js';
import type { Principal } from './Principal.js';
import type { PrincipalSpec } from './validatePrincipalSpec.js';

export interface DemoPrincipal {
  principal: Principal;
  /** Printed in the start banner so `npm start` can be tried at once. */
  apiKey: string;
}

/** The demo principals `npm start` creates on embedded defaults: one per kind of caller. */
export const DEMO_PRINCIPAL_SPECS = {
  internal: { name: 'demo-internal', audience: 'INTERNAL', contracts: ['*'] },
  partner: { name: 'demo-marketplace-partner', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'] } },
  operator: { name: 'demo-operator', audience: 'INTERNAL', contracts: ['*'], rights: ['operate', 'export', 'steward'] },
} as const satisfies Record<string, PrincipalSpec>;

/**
 * Creates the demo principals (migrating the store first). Where one already exists (a restart
 * on a kept database) its key is rotated instead: demo keys are printed at every start, so a new
 * one is what the banner needs. Meant for embedded defaults, never for a shared deployment.
 */
export async function createDemoPrincipals(store: PrincipalStore): Promise<Record<keyof typeof DEMO_PRINCIPAL_SPECS, DemoPrincipal>> {
  await store.migrate();
  const make = async (spec: PrincipalSpec): Promise<DemoPrincipal> => {
    if (!(await store.get(spec.name))) return store.create(spec);
    const { principal, apiKey } = await store.rotate(spec.name);
    return { principal, apiKey };
  };
  return {
    internal: await make(DEMO_PRINCIPAL_SPECS.internal),
    partner: await make(DEMO_PRINCIPAL_SPECS.partner),
    operator: await make(DEMO_PRINCIPAL_SPECS.operator),
  };
}
