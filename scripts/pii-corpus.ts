// Writes tests/fixtures/pii-corpus.jsonl from its marked-up source, pii-corpus.txt.
import { readFileSync, writeFileSync } from 'node:fs';
import { CORPUS_JSONL, CORPUS_SOURCE, parseCorpusSource } from '../tests/unit/support/pii-corpus';

const entries = parseCorpusSource(readFileSync(CORPUS_SOURCE, 'utf8'));
writeFileSync(CORPUS_JSONL, entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
console.log(`${entries.length} snippets, ${entries.reduce((n, entry) => n + entry.spans.length, 0)} spans → ${CORPUS_JSONL}`);
