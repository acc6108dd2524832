import type { DefinitionNode, DirectiveDefinitionNode, DocumentNode, TypeDefinitionNode } from 'graphql';
import { Kind, parse, print, visit } from 'graphql';
import type { CompiledContract, ContractAudience } from '../contracts/index.js';
import { contractDirectivesSdl } from '../contracts/index.js';

const language = parse(contractDirectivesSdl);
const directiveDefinitions = new Map(language.definitions.filter((d): d is DirectiveDefinitionNode => d.kind === Kind.DIRECTIVE_DEFINITION).map((d) => [d.name.value, d]));
const typeDefinitions = new Map(language.definitions.filter((d): d is TypeDefinitionNode => 'name' in d && d.kind !== Kind.DIRECTIVE_DEFINITION).map((d) => [d.name.value, d as TypeDefinitionNode]));

/**
 * The SDL with the definitions of the contract directives it uses (`@contract`, `@from`, ...) and
 * of the enums their arguments take, copied from `contracts/directives.graphql` and appended, so a
 * consumer's tool builds it on its own (graphql-js `buildSchema`, codegen, schema registries).
 * Only what the SDL uses is added: a partner's SDL, which has lost `@from` on its redacted fields,
 * does not gain definitions it has no use for. Idempotent: a directive already defined is left alone.
 */
export function selfContainedSdl(sdl: string): string {
  const document = parse(sdl);
  const defined = new Set(document.definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : [])));
  const used = new Set<string>();
  visit(document, {
    Directive(node) {
      if (directiveDefinitions.has(node.name.value) && !defined.has(node.name.value)) used.add(node.name.value);
    },
  });
  if (used.size === 0) return sdl;
  const needed = new Set<string>(used);
  const addTypesOf = (node: DefinitionNode) =>
    visit(node, {
      NamedType: (named) => {
        const type = typeDefinitions.get(named.name.value);
        if (!type || needed.has(type.name.value) || defined.has(type.name.value)) return;
        needed.add(type.name.value);
        addTypesOf(type);
      },
    });
  for (const name of used) addTypesOf(directiveDefinitions.get(name)!);
  // In the order of directives.graphql, which reads top-down: directives first, then their enums.
  const definitions = language.definitions.filter((d) => 'name' in d && d.name && needed.has(d.name.value));
  const appended: DocumentNode = { kind: Kind.DOCUMENT, definitions };
  return `${sdl.trimEnd()}\n\n# The contract directives used above and the enums they take, as contracts/directives.graphql\n# defines them, so that this SDL builds on its own.\n\n${print(appended)}\n`;
}

/**
 * The contract with every SDL it publishes made self-contained (see selfContainedSdl): the SDL
 * as written (the catalog's `sdl`) and each audience's SDL (the `/schema.graphql` route, and the
 * schema hash in export manifests, which must be the hash of what that route serves).
 */
export function withSelfContainedSdl(contract: CompiledContract): CompiledContract {
  const views = { ...contract.views };
  for (const audience of Object.keys(views) as ContractAudience[]) views[audience] = { ...views[audience], sdl: selfContainedSdl(views[audience].sdl) };
  return { ...contract, sdl: selfContainedSdl(contract.sdl), views };
}
