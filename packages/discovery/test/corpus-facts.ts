// The real API descriptions in ../shared/apis (relative to the repository root) and the facts about them in
// tools/discovery-corpus/facts.json, taken from each folder's SOURCE.md. The corpus report script reads the same
// file, so the tests and the report check the same facts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const apisDir = join(repoRoot, '..', 'shared', 'apis');

export interface ApiFacts {
  folder: string;
  file: string;
  /** DSL auth kinds that match the declared schemes ("none" when none is declared). */
  auth: string[];
  /** GET path → the pagination kinds SOURCE.md's description allows. */
  operations: Record<string, string[]>;
}

export const CORPUS: ApiFacts[] = (JSON.parse(readFileSync(join(repoRoot, 'tools', 'discovery-corpus', 'facts.json'), 'utf8')) as { apis: ApiFacts[] }).apis;

export const hasCorpus = existsSync(apisDir);

export function corpusFile(facts: Pick<ApiFacts, 'folder' | 'file'>): string {
  return join(apisDir, facts.folder, facts.file);
}
