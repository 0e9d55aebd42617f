import * as z from 'zod/mini';

// Imported first by every entry that uses zod: zod then never builds parsers with `new Function`
// nor probes for it, so nothing is evaluated at run time (what Firefox's add-on linter and strict
// extension CSPs ask for). It must run before the first parse.
z.config({ jitless: true });
