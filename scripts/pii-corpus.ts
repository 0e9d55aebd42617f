// Writes tests/fixtures/pii-corpus.jsonl and pii-heldout.jsonl from their marked-up sources (.txt).
import { readFileSync, writeFileSync } from 'node:fs';
import { CORPORA, corpusJsonl, corpusSource, parseCorpusSource } from '../tests/support/unit/pii-corpus';

for (const name of CORPORA) {
  const entries = parseCorpusSource(readFileSync(corpusSource(name), 'utf8'));
  writeFileSync(corpusJsonl(name), entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
  console.log(`${entries.length} snippets, ${entries.reduce((n, entry) => n + entry.spans.length, 0)} spans → ${corpusJsonl(name)}`);
}
