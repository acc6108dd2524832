import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

/**
 * The reference JSON Schemas, read from `../shared/specs/` beside the repository (CI clones the
 * repository next to it, read-only). Test support: production code never validates against them.
 */
export const SPECS_DIRECTORY = fileURLToPath(new URL('../../../shared/specs/', import.meta.url));

// ajv-formats is CommonJS: under NodeNext its default import is the module, whose `default` is the plugin.
const addFormats = ajvFormats.default;
const FACETS = ['SchemaDatasetFacet', 'OwnershipDatasetFacet', 'DocumentationDatasetFacet', 'ColumnLineageDatasetFacet', 'DatasetTypeDatasetFacet'] as const;

export interface SpecValidators {
  /** Problems of an ODCS v3.1.0 document (parsed YAML); empty when it conforms. */
  odcs(document: unknown): string[];
  /** Problems of one OpenLineage event (the spec) and of each facet it carries (the facet's own schema). */
  openLineageEvent(event: unknown): string[];
}

/** ajv validators for the shipped ODCS (draft 2019-09) and OpenLineage (draft 2020-12) schemas. */
export function createSpecValidators(directory: string = SPECS_DIRECTORY): SpecValidators {
  const read = (path: string) => {
    const file = `${directory}${path}`;
    if (!existsSync(file)) {
      throw new Error(`The reference schema ${file} is missing. These tests validate exports against ../shared/specs/ beside the repository (README "Reference specifications"); clone or mount it there, read-only, and run again.`);
    }
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  };
  const odcsAjv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(odcsAjv);
  const odcs = odcsAjv.compile(read('odcs/odcs-json-schema-v3.1.0.json'));

  const olAjv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(olAjv);
  olAjv.addSchema(read('openlineage/OpenLineage.json'));
  const event = olAjv.getSchema('https://openlineage.io/spec/2-0-2/OpenLineage.json')!;
  const facets = new Map<string, ValidateFunction>(FACETS.map((name) => [name, olAjv.compile(read(`openlineage/facets/${name}.json`))]));
  // Each facet schema's root names the key it validates (`{ schema: {...} }`): validate the dataset's whole facets object.
  const describe = (label: string, errors: ErrorObject[] | null | undefined) => (errors ?? []).map((e) => `${label}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

  return {
    odcs: (document) => (odcs(document) ? [] : describe('odcs', odcs.errors)),
    openLineageEvent(value) {
      const problems = event(value) ? [] : describe('event', event.errors);
      const datasetFacets = (value as { dataset?: { facets?: unknown } }).dataset?.facets ?? {};
      for (const [name, validate] of facets) if (!validate(datasetFacets)) problems.push(...describe(name, validate.errors));
      return problems;
    },
  };
}
