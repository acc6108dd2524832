import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { DirectiveNode, DocumentNode, GraphQLField, GraphQLFieldResolver, GraphQLNamedType, GraphQLOutputType, GraphQLSchema } from 'graphql';
import {
  buildASTSchema,
  concatAST,
  getDirectiveValues,
  getNamedType,
  GraphQLDeprecatedDirective,
  GraphQLError,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  parse,
  Source,
  visit,
} from 'graphql';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import { fieldLineage, typeModel } from '../../platform/subgraph/index.js';
import type { Principal } from '../access/index.js';
import type { CursorSealer, Tokenizer } from '../redaction/index.js';
import { applyRedaction, redactionFor } from '../redaction/index.js';
import { buildAudienceViews } from './buildAudienceViews.js';
import type { ContractProblem } from './ContractError.js';
import type { CompiledContract, ContractField, ContractMeta, ContractRowScope, DerivedFieldResolvers, LineageLink } from './ContractModel.js';
import { readRedactions } from './readRedactions.js';

export const contractDirectivesSdl = readFileSync(new URL('../../contracts/directives.graphql', import.meta.url), 'utf8');
const directivesDocument = parse(contractDirectivesSdl);
const directivesSchema = buildASTSchema(directivesDocument);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The scalar of feed positions; contract fields and arguments of this type are sealed per principal. */
const CURSOR_SCALAR = 'Cursor';
export const NOT_YOUR_CURSOR = 'This cursor was not issued to you by this feed: pass an endCursor you received, or null to start from the beginning.';

/** The per-request context a compiled contract expects. */
export interface ContractRequestContext {
  /** Who is asking: decides redaction (by audience) and tokens (by principal). */
  principal: Principal;
  tokenizer: Tokenizer;
  cursors: CursorSealer;
  /**
   * The subgraph context (loaders) for a subgraph version, created once per request and context,
   * with the principal's row scope for the dimensions this contract declares.
   */
  subgraphContext(subgraph: SubgraphVersion): unknown;
}

export interface ContractSource {
  /** Relative path, for messages: `customer_order_timeline/v1.graphql`. */
  file: string;
  sdl: string;
  /** The contract name and version the path promises (folder and file name). */
  expected: { name: string; version: number };
  derived: DerivedFieldResolvers | null;
}

/**
 * Compiles one contract version. Expected failures are values (a list of problems), not throws:
 * the loader reports every problem of every contract at once.
 */
export function compileContract(source: ContractSource, subgraphs: ReadonlyMap<string, SubgraphVersion>): CompiledContract | ContractProblem[] {
  const problems: ContractProblem[] = [];
  const problem = (coordinate: string | null, message: string, fix: string) => problems.push({ file: source.file, coordinate, message, fix });

  let document: DocumentNode;
  try {
    document = parse(new Source(source.sdl, source.file));
  } catch (error) {
    problem(null, `is not valid GraphQL SDL: ${(error as Error).message}.`, 'correct the syntax at the location shown.');
    return problems;
  }
  checkDirectiveUsage(document, problem);
  if (problems.length > 0) return problems;

  let shape: GraphQLSchema;
  try {
    shape = buildASTSchema(concatAST([directivesDocument, document]));
  } catch (error) {
    problem(null, `does not build a schema: ${(error as Error).message}`, 'declare every type the contract uses, once.');
    return problems;
  }

  const meta = readContractMeta(shape, source, problem);
  const fields = new Map<string, ContractField>();
  const resolvers: Record<string, Record<string, GraphQLFieldResolver<unknown, ContractRequestContext>> | GraphQLNamedType> = {};
  const typeModels = new Map<string, Set<string>>();
  const ownModels = new Map<string, ReadonlySet<string>>();
  const scalarsNeeded = new Set<string>();

  for (const type of Object.values(shape.getTypeMap())) {
    if (type.name.startsWith('__') || directivesSchema.getType(type.name)) continue;
    if (isScalarType(type) && !isSpecifiedScalarType(type)) scalarsNeeded.add(type.name);
    if (!isObjectType(type)) continue;
    const typeResolvers: Record<string, GraphQLFieldResolver<unknown, ContractRequestContext>> = {};
    resolvers[type.name] = typeResolvers;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const node = field.astNode!;
      const from = directiveValues(shape, 'from', node);
      const derived = directiveValues(shape, 'derived', node);
      const deprecated = getDirectiveValues(GraphQLDeprecatedDirective, node);
      const sunset = directiveValues(shape, 'sunset', node);
      const classification = directiveValues(shape, 'classification', node);
      const workSize = directiveValues(shape, 'workSize', node);
      const requires = directiveValues(shape, 'requiresRight', node);
      const requiresRight = requires ? String(requires.right).toLowerCase() : null;
      if (type.name === shape.getMutationType()?.name && !requiresRight) {
        problem(coordinate, 'is a mutation without @requiresRight.', 'add @requiresRight(right: STEWARD | OPERATE | EXPORT): a write names the right it needs.');
      }
      if (workSize) {
        const named = workSize.argument === undefined || workSize.argument === null ? null : String(workSize.argument);
        const argument = named === null ? null : field.args.find((a) => a.name === named);
        if (named === null && (workSize.rows === undefined || workSize.rows === null)) problem(coordinate, '@workSize gives neither argument nor rows.', 'name the Int argument that sizes the work (argument: "first"), or the most rows it can examine (rows: 5000).');
        if (named !== null && (!argument || getNamedType(argument.type).name !== 'Int')) problem(coordinate, `@workSize names argument "${named}", which is not an Int argument of the field.`, `name one of its Int arguments (${field.args.filter((a) => getNamedType(a.type).name === 'Int').map((a) => a.name).join(', ') || 'it has none'}).`);
        if (Number(workSize.weight ?? 1) < 1 || Number(workSize.rows ?? 1) < 1) problem(coordinate, '@workSize rows and weight must be at least 1.', 'give a positive number of rows and a positive weight per row.');
      }
      const redactions = readRedactions(shape, field, node, coordinate, problem);
      const level = classification ? String(classification.level) : 'INTERNAL';
      if (level === 'PII' && meta?.audience === 'PARTNER' && !redactions.some((r) => r.audience === 'PARTNER')) {
        problem(coordinate, 'is classified PII in a PARTNER contract but has no @redact rule for PARTNER.', 'add @redact(audience: PARTNER, strategy: OMIT | MASK | TOKENIZE) (MASK with mask: EMAIL, POSTAL_CODE, NAME or TEXT).');
      }

      const lineage: LineageLink[] = [];
      let joinKey: string | null = null;
      if (from && derived) problem(coordinate, 'has both @from and @derived.', 'keep @from for a field served as-is, or @derived for one computed from several.');
      if (!from && !derived) {
        problem(coordinate, 'has no lineage.', `add @from(subgraph: "<context>/v<N>", field: "Type.field") naming the subgraph field it is served from, or @derived(from: [...], description: "...") with a resolver in ${source.file.replace(/\.graphql$/, '.ts')}.`);
      }
      if (from) {
        const target = resolveCoordinate(String(from.subgraph), String(from.field), subgraphs);
        if ('error' in target) problem(coordinate, `@from points at ${from.subgraph} ${from.field}, which ${target.error}`, target.fix);
        else {
          const link = linkOf(target.subgraph, target.parent, target.field);
          if (!link) problem(coordinate, `@from points at ${target.subgraph.id} ${from.field}, which declares no @lineage.`, `add @lineage(projection, columns, events) to ${from.field} in the ${target.subgraph.id} schema.`);
          else lineage.push(link);
          const mismatch = compatibility(field.type, target.field.type, field.args.map((a) => a.name), target.field.args.map((a) => a.name));
          if (mismatch) problem(coordinate, `cannot be served from ${target.subgraph.id} ${from.field}: ${mismatch}.`, 'make the contract field’s type and arguments match its source (a contract may relax non-null, nothing else).');
          const model = isObjectType(getNamedType(target.field.type)) ? typeModel(target.subgraph, getNamedType(target.field.type)) : null;
          if (model) {
            const named = getNamedType(field.type).name;
            typeModels.set(named, new Set([...(typeModels.get(named) ?? []), model]));
          }
          const key = from.key === undefined || from.key === null ? null : String(from.key);
          joinKey = key;
          // A keyed field joins another context's record: it says nothing of this type's own record.
          if (type.name !== 'Query' && key === null) {
            const parentModel = typeModel(target.subgraph, target.parent);
            typeModels.set(type.name, new Set([...(typeModels.get(type.name) ?? []), parentModel ?? `${target.subgraph.id}:${target.parent.name}`]));
          }
          if (key !== null) {
            if (type.name === 'Query') problem(coordinate, '@from on Query takes no key.', 'remove key: a root field is not looked up from a parent.');
            if (!type.getFields()[key]) problem(coordinate, `@from key "${key}" is not a field of ${type.name}.`, `name a field of ${type.name} whose value identifies the ${target.parent.name} (e.g. orderId).`);
            const parentFields = isObjectType(target.parent) ? target.parent.getFields() : {};
            if (!parentFields[key]) problem(coordinate, `@from key "${key}" is not a field of ${target.subgraph.id} ${target.parent.name}.`, `join on a field ${target.parent.name} has (${Object.keys(parentFields).join(', ')}).`);
          }
          const resolve = target.field.resolve;
          const fieldName = target.field.name;
          const subgraph = target.subgraph;
          const read = resolve
            ? (parent: unknown, args: Record<string, unknown>, context: ContractRequestContext, info: Parameters<GraphQLFieldResolver<unknown, unknown>>[3]) => resolve(parent, args, context.subgraphContext(subgraph), info)
            : (parent: unknown) => (parent as Record<string, unknown> | null)?.[fieldName];
          if (key === null) typeResolvers[field.name] = read;
          else {
            // The entity reference is built from this type's own key field, resolved as the contract resolves it.
            typeResolvers[field.name] = async (parent, args, context, info) => {
              const keyResolver = typeResolvers[key];
              const value = keyResolver ? await keyResolver(parent, {}, context, info) : (parent as Record<string, unknown> | null)?.[key];
              return value === null || value === undefined ? null : read({ [key]: value }, args, context, info);
            };
          }
        }
      }
      if (derived) {
        const sourcesOf = (derived.from as string[]).map((ref) => {
          const [subgraphId, fieldRef] = ref.split(':');
          const target = resolveCoordinate(subgraphId ?? '', fieldRef ?? '', subgraphs);
          if ('error' in target) {
            problem(coordinate, `@derived source ${ref} ${target.error}`, `${target.fix} Sources are written "<context>/v<N>:Type.field".`);
            return null;
          }
          const link = linkOf(target.subgraph, target.parent, target.field);
          if (link) lineage.push(link);
          return target;
        });
        const resolver = source.derived?.[type.name]?.[field.name];
        if (!resolver) {
          problem(coordinate, `is @derived but ${source.file.replace(/\.graphql$/, '.ts')} has no resolver for it.`, `export const derivedFields: DerivedFieldResolvers = { ${type.name}: { ${field.name}: ([${(derived.from as string[]).map((_, i) => `source${i + 1}`).join(', ')}]) => ... } } from ${source.file.replace(/\.graphql$/, '.ts')}.`);
        } else if (sourcesOf.every((s) => s !== null)) {
          const targets = sourcesOf as Array<NonNullable<(typeof sourcesOf)[number]>>;
          const refs = new Map((derived.from as string[]).map((ref, i) => [ref, targets[i]!]));
          const typeName = type.name;
          typeResolvers[field.name] = async (parent, args, context, info) => {
            const read = (t: (typeof targets)[number], record: unknown, sourceArgs: Record<string, unknown>) =>
              t.field.resolve ? t.field.resolve(record, sourceArgs, context.subgraphContext(t.subgraph), info) : (record as Record<string, unknown> | null)?.[t.field.name];
            // Only sources on this type's own record are read up front; the others need a record the resolver holds.
            const own = ownModels.get(typeName) ?? new Set<string>();
            const values = await Promise.all(targets.map((t) => (t.parent.name !== 'Query' && own.has(typeModel(t.subgraph, t.parent) ?? '') ? read(t, parent, {}) : undefined)));
            return resolver(values, {
              parent,
              args: args as Record<string, unknown>,
              resolve: async (ref, record, sourceArgs = {}) => {
                const target = refs.get(ref);
                if (!target) throw new Error(`${coordinate} reads ${ref}, which its @derived(from: [...]) does not list; add it, so its lineage is complete.`);
                return read(target, record, sourceArgs);
              },
            });
          };
        }
      }

      let deprecation: ContractField['deprecation'] = null;
      if (deprecated) {
        if (!sunset) problem(coordinate, 'is @deprecated without @sunset.', 'add @sunset(date: "YYYY-MM-DD", deprecatedOn: "YYYY-MM-DD", replacement: "otherField") so consumers know when it goes and what to use.');
        else {
          const replacement = sunset.replacement === undefined || sunset.replacement === null ? null : String(sunset.replacement);
          if (!DATE.test(String(sunset.date)) || !DATE.test(String(sunset.deprecatedOn))) problem(coordinate, `@sunset dates must be YYYY-MM-DD (received date ${JSON.stringify(sunset.date)}, deprecatedOn ${JSON.stringify(sunset.deprecatedOn)}).`, 'write dates like "2027-06-30".');
          if (replacement && !type.getFields()[replacement]) problem(coordinate, `@sunset replacement ${replacement} is not a field of ${type.name}.`, `name a field of ${type.name}, or leave replacement out.`);
          deprecation = { reason: String(deprecated.reason), sunset: String(sunset.date), deprecatedOn: String(sunset.deprecatedOn), replacement: replacement ? `${type.name}.${replacement}` : null };
        }
      } else if (sunset) problem(coordinate, 'has @sunset but is not @deprecated.', 'add @deprecated(reason: "...") or remove @sunset.');

      fields.set(coordinate, {
        coordinate,
        type: String(field.type),
        description: field.description ?? null,
        classification: level,
        redactions,
        deprecation,
        derived: Boolean(derived),
        lineage,
        requiresRight,
        joinKey,
      });
    }
  }

  // Enforced, not displayed: MASK and TOKENIZE wrap the field's resolver, so every execution path
  // (queries, the changes feed, exports run through this schema) redacts the same way.
  for (const field of fields.values()) {
    const masked = field.redactions.filter((r) => r.strategy !== 'OMIT');
    if (masked.length === 0) continue;
    const [typeName, fieldName] = field.coordinate.split('.') as [string, string];
    const typeResolvers = resolvers[typeName] as Record<string, GraphQLFieldResolver<unknown, ContractRequestContext>>;
    const resolve = typeResolvers[fieldName] ?? ((parent: unknown) => (parent as Record<string, unknown> | null)?.[fieldName]);
    // Synchronous when the source value is: a promise per redacted field per row is most of an
    // export's garbage (bench/results/export.md).
    typeResolvers[fieldName] = (parent, args, context, info) => {
      const rule = redactionFor(masked, context.principal.audience);
      const value = resolve(parent, args, context, info);
      if (!rule) return value;
      const redact = (v: unknown) => applyRedaction(rule, v, context.principal.id, context.tokenizer);
      return isPromiseLike(value) ? Promise.resolve(value).then(redact) : redact(value);
    };
  }

  // Rights are checked where the field runs, on every path, before its resolver reads or writes.
  for (const field of fields.values()) {
    const right = field.requiresRight;
    if (!right) continue;
    const [typeName, fieldName] = field.coordinate.split('.') as [string, string];
    const typeResolvers = resolvers[typeName] as Record<string, GraphQLFieldResolver<unknown, ContractRequestContext>>;
    const resolve = typeResolvers[fieldName] ?? ((parent: unknown) => (parent as Record<string, unknown> | null)?.[fieldName]);
    typeResolvers[fieldName] = (parent, args, context, info) => {
      if (!context.principal.rights.includes(right as (typeof context.principal.rights)[number])) {
        throw new GraphQLError(`${field.coordinate} needs the ${right} right; principal ${context.principal.name} holds ${context.principal.rights.length > 0 ? context.principal.rights.join(', ') : 'none'}. Ask an administrator for a principal with --rights ${right}.`, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
      }
      return resolve(parent, args, context, info);
    };
  }
  if (meta?.audience === 'PARTNER' && shape.getMutationType()) problem('schema', 'is a PARTNER contract with a Mutation type.', 'partners read; serve writes from an INTERNAL contract.');

  // Feed cursors leave sealed for the principal and come back unsealed: a subgraph's position
  // (transaction and row ids) would otherwise count what the caller may not see.
  for (const type of Object.values(shape.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || directivesSchema.getType(type.name)) continue;
    const typeResolvers = resolvers[type.name] as Record<string, GraphQLFieldResolver<unknown, ContractRequestContext>> | undefined;
    if (!typeResolvers) continue;
    for (const field of Object.values(type.getFields())) {
      const cursorArgs = field.args.filter((a) => getNamedType(a.type).name === CURSOR_SCALAR).map((a) => a.name);
      const sealsResult = getNamedType(field.type).name === CURSOR_SCALAR;
      if (cursorArgs.length === 0 && !sealsResult) continue;
      const resolve = typeResolvers[field.name] ?? ((parent: unknown) => (parent as Record<string, unknown> | null)?.[field.name]);
      typeResolvers[field.name] = (parent, args, context, info) => {
        const opened = { ...(args as Record<string, unknown>) };
        for (const name of cursorArgs) {
          const sealed = opened[name];
          if (sealed === null || sealed === undefined) continue;
          const cursor = typeof sealed === 'string' ? context.cursors.unseal(context.principal.id, sealed) : null;
          if (cursor === null) throw new GraphQLError(NOT_YOUR_CURSOR, { extensions: { code: 'BAD_USER_INPUT' } });
          opened[name] = cursor;
        }
        const value = resolve(parent, opened, context, info);
        if (!sealsResult) return value;
        const seal = (v: unknown) => (typeof v === 'string' ? context.cursors.seal(context.principal.id, v) : v);
        return isPromiseLike(value) ? Promise.resolve(value).then(seal) : seal(value);
      };
    }
  }

  const rowScopes = readRowScopes(shape, meta, fields, subgraphs, problem);
  // Read by derived resolvers at execution time, once every field has declared its record.
  for (const [typeName, models] of typeModels) ownModels.set(typeName, models);

  for (const [typeName, models] of typeModels) {
    if (models.size > 1) problem(typeName, `mixes fields of records that differ (${[...models].join(', ')}).`, 'serve every field of one contract type from subgraph types that share one @model.');
  }
  const scalarResolvers: Record<string, GraphQLNamedType> = {};
  for (const name of scalarsNeeded) {
    const implementation = [...subgraphs.values()].map((s) => s.schema.getType(name)).find((t) => t && isScalarType(t));
    if (!implementation) problem(name, `is a custom scalar no subgraph implements.`, 'use a built-in scalar or one a subgraph defines (e.g. DateTime).');
    else scalarResolvers[name] = implementation;
  }
  if (problems.length > 0 || !meta) return problems;

  const schema = makeExecutableSchema({ typeDefs: [contractDirectivesSdl, source.sdl], resolvers: { ...resolvers, ...scalarResolvers } });
  const views = buildAudienceViews(schema, source.sdl, fields, problem);
  if (problems.length > 0) return problems;
  const projections = [...new Set([...fields.values()].flatMap((f) => f.lineage.map((l) => l.projection)))];
  return { meta, file: source.file, sdl: source.sdl, schema, views, rowScopes, fields, projections };
}

/**
 * `@rowScope(subgraph, dimension)` on the schema: checked against the subgraph's declared row
 * scopes, and a PARTNER contract must scope every subgraph it reads, or it cannot be enforced.
 */
function readRowScopes(shape: GraphQLSchema, meta: ContractMeta | null, fields: ReadonlyMap<string, ContractField>, subgraphs: ReadonlyMap<string, SubgraphVersion>, problem: (coordinate: string | null, message: string, fix: string) => void): ContractRowScope[] {
  const node = shape.astNode ?? (shape.extensionASTNodes[0] as typeof shape.astNode);
  const definition = shape.getDirective('rowScope')!;
  const scopes: ContractRowScope[] = [];
  for (const directive of (node?.directives ?? []).filter((d) => d.name.value === 'rowScope')) {
    const values = getDirectiveValues(definition, { ...node!, directives: [directive] });
    if (!values) continue;
    const scope = { subgraph: String(values.subgraph), dimension: String(values.dimension) };
    const subgraph = subgraphs.get(scope.subgraph);
    if (!subgraph) problem('schema', `@rowScope names an unknown subgraph "${scope.subgraph}".`, `use one of ${[...subgraphs.keys()].map((k) => `"${k}"`).join(', ')}.`);
    else if (!subgraph.rowScopes[scope.dimension]) {
      const known = Object.keys(subgraph.rowScopes);
      problem('schema', `@rowScope dimension "${scope.dimension}" is not one ${scope.subgraph} can restrict its reads by.`, known.length ? `use one of ${known.map((k) => `"${k}"`).join(', ')}.` : `${scope.subgraph} declares no row scopes; add one to the subgraph first.`);
    } else scopes.push(scope);
  }
  if (meta?.audience === 'PARTNER') {
    const read = new Set([...fields.values()].flatMap((f) => f.lineage.map((l) => l.subgraph)));
    for (const subgraph of read) {
      if (!scopes.some((s) => s.subgraph === subgraph)) {
        problem('schema', `is a PARTNER contract that reads ${subgraph} without a @rowScope for it, so a partner's rows could not be restricted.`, `add @rowScope(subgraph: "${subgraph}", dimension: "...") to the schema definition.`);
      }
    }
  }
  return scopes;
}

function directiveValues(schema: GraphQLSchema, name: string, node: { directives?: readonly DirectiveNode[] }): Record<string, unknown> | undefined {
  return getDirectiveValues(schema.getDirective(name)!, node);
}

/** Unknown directives and arguments, found on the AST so the message can name the field. */
function checkDirectiveUsage(document: DocumentNode, problem: (coordinate: string | null, message: string, fix: string) => void): void {
  let typeName = '';
  const check = (directives: readonly DirectiveNode[] | undefined, coordinate: string) => {
    for (const directive of directives ?? []) {
      const definition = directivesSchema.getDirective(directive.name.value);
      if (!definition) {
        const known = directivesSchema.getDirectives().map((d) => `@${d.name}`).join(', ');
        problem(coordinate, `uses unknown directive @${directive.name.value}.`, `use one of ${known}.`);
        continue;
      }
      const known = definition.args.map((a) => a.name);
      for (const argument of directive.arguments ?? []) {
        if (!known.includes(argument.name.value)) problem(coordinate, `@${definition.name} has no argument "${argument.name.value}".`, `use only ${known.map((k) => `"${k}"`).join(', ')}.`);
      }
      for (const required of definition.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)) {
        if (!(directive.arguments ?? []).some((a) => a.name.value === required.name)) problem(coordinate, `@${definition.name} is missing its required argument "${required.name}".`, `add ${required.name}: ${String(required.type)}.`);
      }
    }
  };
  visit(document, {
    SchemaDefinition: (node) => check(node.directives, 'schema'),
    ObjectTypeDefinition: (node) => {
      typeName = node.name.value;
      check(node.directives, typeName);
    },
    FieldDefinition: (node) => check(node.directives, `${typeName}.${node.name.value}`),
  });
}

function readContractMeta(shape: GraphQLSchema, source: ContractSource, problem: (coordinate: string | null, message: string, fix: string) => void): ContractMeta | null {
  const node = shape.astNode ?? (shape.extensionASTNodes[0] as typeof shape.astNode);
  const values = node ? getDirectiveValues(shape.getDirective('contract')!, node) : undefined;
  if (!values) {
    problem('schema', 'has no @contract.', 'start the file with `schema @contract(name: ..., version: ..., owner: ..., ...) { query: Query }`.');
    return null;
  }
  const meta = values as unknown as ContractMeta;
  meta.sunset = (values.sunset as string | undefined) ?? null;
  if (meta.name !== source.expected.name || meta.version !== source.expected.version) {
    problem('schema', `@contract says ${meta.name} v${meta.version} but the file is ${source.file}.`, `name the file contracts/${meta.name}/v${meta.version}.graphql, or correct @contract.`);
  }
  if (meta.status === 'DEPRECATED' && (!meta.sunset || !DATE.test(meta.sunset))) problem('schema', 'is DEPRECATED without a sunset date.', 'add sunset: "YYYY-MM-DD" to @contract.');
  if (meta.freshnessSlaSeconds <= 0) problem('schema', `freshnessSlaSeconds must be positive (received ${meta.freshnessSlaSeconds}).`, 'state the freshness consumers can rely on, in seconds.');
  meta.freshnessBinds = (values.freshnessBinds as ContractMeta['freshnessBinds'] | undefined) ?? 'PROCESSING_LAG';
  meta.maxSourceSilenceSeconds = (values.maxSourceSilenceSeconds as number | undefined) ?? null;
  // A silence that nothing enforces would be a promise the gateway breaks: declared only where judged.
  if (meta.freshnessBinds === 'DATA_AGE' && meta.maxSourceSilenceSeconds === null) {
    problem('schema', 'binds its freshness SLA to DATA_AGE without maxSourceSilenceSeconds.', 'add maxSourceSilenceSeconds: <seconds> to @contract: how long its sources may be silent before the data is STALE.');
  }
  if (meta.freshnessBinds === 'PROCESSING_LAG' && meta.maxSourceSilenceSeconds !== null) {
    problem('schema', `declares maxSourceSilenceSeconds (${meta.maxSourceSilenceSeconds}) but binds its freshness SLA to PROCESSING_LAG, which never reads it.`, 'add freshnessBinds: DATA_AGE to @contract, or remove maxSourceSilenceSeconds.');
  }
  if (meta.maxSourceSilenceSeconds !== null && meta.maxSourceSilenceSeconds <= 0) problem('schema', `maxSourceSilenceSeconds must be positive (received ${meta.maxSourceSilenceSeconds}).`, 'state how long the sources may be silent, in seconds.');
  return meta;
}

type Resolved = { subgraph: SubgraphVersion; parent: GraphQLNamedType & { name: string }; field: GraphQLField<unknown, unknown> } | { error: string; fix: string };

function resolveCoordinate(subgraphId: string, fieldRef: string, subgraphs: ReadonlyMap<string, SubgraphVersion>): Resolved {
  const subgraph = subgraphs.get(subgraphId);
  if (!subgraph) return { error: `names an unknown subgraph "${subgraphId}".`, fix: `use one of ${[...subgraphs.keys()].map((k) => `"${k}"`).join(', ')}.` };
  const [typeName, fieldName] = fieldRef.split('.');
  const parent = typeName ? subgraph.schema.getType(typeName) : undefined;
  if (!parent || !isObjectType(parent)) return { error: `does not exist: ${subgraph.id} has no object type ${JSON.stringify(typeName)}.`, fix: `write field as "Type.field" with a type of ${subgraph.id}.` };
  const field = fieldName ? parent.getFields()[fieldName] : undefined;
  if (!field) return { error: `does not exist: ${subgraph.id} ${parent.name} has no field ${JSON.stringify(fieldName)}.`, fix: `use one of ${Object.keys(parent.getFields()).join(', ')}.` };
  return { subgraph, parent, field };
}

function linkOf(subgraph: SubgraphVersion, parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>): LineageLink | null {
  const lineage = parent.name === 'Query' ? rootLineage(subgraph, field) : fieldLineage(subgraph, field);
  if (!lineage) return null;
  return {
    subgraph: subgraph.id,
    subgraphField: `${parent.name}.${field.name}`,
    subgraphStatus: subgraph.status.kind,
    projection: lineage.projection,
    columns: lineage.columns,
    events: lineage.events,
    topics: subgraph.topics.filter((t) => lineage.events.some((e) => t.events.includes(e.split('.')[0] ?? ''))),
  };
}

/** A root field's lineage is that of the record it returns: its type's key field. */
function rootLineage(subgraph: SubgraphVersion, field: GraphQLField<unknown, unknown>) {
  const type = getNamedType(field.type);
  if (!isObjectType(type)) return fieldLineage(subgraph, field);
  const fields = Object.values(type.getFields());
  for (const candidate of fields) {
    const lineage = fieldLineage(subgraph, candidate);
    if (lineage) return lineage;
  }
  return null;
}

/** Why a contract field cannot be served from a subgraph field, or null when it can. */
function compatibility(contract: GraphQLOutputType, source: GraphQLOutputType, contractArgs: string[], sourceArgs: string[]): string | null {
  const extra = contractArgs.filter((a) => !sourceArgs.includes(a));
  if (extra.length > 0) return `argument${extra.length > 1 ? 's' : ''} ${extra.join(', ')} not accepted by the source (it takes ${sourceArgs.join(', ') || 'none'})`;
  let c: GraphQLOutputType = contract;
  let s: GraphQLOutputType = source;
  for (;;) {
    if (isNonNullType(c)) {
      if (!isNonNullType(s)) return `the contract says ${String(contract)} but the source may be null (${String(source)})`;
      c = c.ofType;
      s = s.ofType;
      continue;
    }
    if (isNonNullType(s)) {
      s = s.ofType;
      continue;
    }
    if (isListType(c) !== isListType(s)) return `list shape differs: ${String(contract)} vs ${String(source)}`;
    if (isListType(c) && isListType(s)) {
      c = c.ofType;
      s = s.ofType;
      continue;
    }
    break;
  }
  const cn = getNamedType(c);
  const sn = getNamedType(s);
  if (isScalarType(cn) !== isScalarType(sn) || isEnumType(cn) !== isEnumType(sn) || isObjectType(cn) !== isObjectType(sn)) return `${cn.name} and ${sn.name} are different kinds of type`;
  if (isScalarType(cn) && cn.name !== sn.name) return `scalar ${cn.name} differs from the source's ${sn.name}`;
  if (isEnumType(cn) && isEnumType(sn)) {
    const missing = cn.getValues().map((v) => v.name).filter((v) => !sn.getValues().some((x) => x.name === v));
    const unknown = sn.getValues().map((v) => v.name).filter((v) => !cn.getValues().some((x) => x.name === v));
    if (missing.length || unknown.length) return `enum ${cn.name} and the source's ${sn.name} have different values (${[...missing, ...unknown].join(', ')})`;
  }
  return null;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
