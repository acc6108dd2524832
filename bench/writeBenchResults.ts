import { writeFile } from 'node:fs/promises';

/** Writes bench/results/<name>.json (the figures) and <name>.md (the report people read). */
export async function writeBenchResults(name: string, figures: unknown, markdown: string): Promise<void> {
  await writeFile(new URL(`./results/${name}.json`, import.meta.url), `${JSON.stringify(figures, null, 2)}\n`);
  await writeFile(new URL(`./results/${name}.md`, import.meta.url), markdown);
}
