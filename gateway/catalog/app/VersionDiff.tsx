import { Badge } from './Badge.js';
import type { ChangeCriticality, ContractPageQuery } from './generated/catalogOperations.js';

type Diff = NonNullable<NonNullable<ContractPageQuery['contract']>['diffFromPrevious']>;

const ORDER: readonly ChangeCriticality[] = ['BREAKING', 'DANGEROUS', 'NON_BREAKING'];
const LABELS: Record<ChangeCriticality, string> = { BREAKING: 'Breaking', DANGEROUS: 'Dangerous', NON_BREAKING: 'Safe' };

/** The changes from the previous version, breaking first, as @graphql-inspector/core judged them on the gateway. */
export function VersionDiff({ diff }: { diff: Diff }) {
  if (diff.changes.length === 0) return <p>No change to the schema or its promises since v{diff.previousVersion}.</p>;
  const changes = [...diff.changes].sort((a, b) => ORDER.indexOf(a.criticality) - ORDER.indexOf(b.criticality));
  return (
    <>
      <p class="diff-summary">
        {ORDER.map((c) => `${diff.changes.filter((x) => x.criticality === c).length} ${LABELS[c].toLowerCase()}`).join(' · ')}
      </p>
      <table class="diff" data-previous-version={diff.previousVersion}>
        <thead>
          <tr>
            <th scope="col">Impact</th>
            <th scope="col">Where</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr key={`${change.type}|${change.path ?? ''}|${change.message}`} data-criticality={change.criticality} data-change-type={change.type} data-path={change.path ?? ''}>
              <td>
                <Badge tone={change.criticality}>{LABELS[change.criticality]}</Badge>
              </td>
              <td>
                <code>{change.path ?? '—'}</code>
              </td>
              <td>
                {change.message}
                {change.before !== null || change.after !== null ? (
                  <div class="before-after">
                    <del>{change.before ?? '—'}</del> → <ins>{change.after ?? '—'}</ins>
                  </div>
                ) : null}
                {change.reason ? <small class="block">{change.reason}</small> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
