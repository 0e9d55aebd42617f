// npm run -s pii -- FILE: redaction suggestions for each JSON line of FILE (`-` reads stdin).
// The contract is in README.md ("Redaction suggestions from the command line").
import { readFileSync } from 'node:fs';
import { suggestForJsonLines } from '../utils/redaction/jsonl';

const args = process.argv.slice(2);
if (args.length !== 1) {
  process.stderr.write('usage: npm run -s pii -- FILE   (FILE holds JSON Lines {"text": …}; - reads stdin)\n');
  process.exit(2);
}
const file = args[0]!;
let input: string;
try {
  input = readFileSync(file === '-' ? 0 : file, 'utf8');
} catch (error) {
  process.stderr.write(`pii: cannot read ${file}: ${(error as Error).message}\n`);
  process.exit(2);
}
const result = suggestForJsonLines(input);
if (!result.ok) {
  for (const error of result.errors) process.stderr.write(`pii: ${file}: ${error}\n`);
  process.exit(1);
}
process.stdout.write(result.lines.map((line) => line + '\n').join(''));
