import type { Plugin } from 'vite';

/**
 * zod 4 compiles object parsers with `new Function` when it may. It decides at run time: a probe
 * (`new Function("")`, skipped under `z.config({ jitless: true })`) and the compiler itself
 * (`Doc.compile`) both stay in any bundle that parses, whatever the configuration, and zod has no
 * build option that leaves them out. Extension stores ask for bundles with no code built from
 * strings, so the build rewrites the two places: the probe answers "no" and the compiler is gone.
 * zod then takes its interpreted path, the one it already takes under a strict CSP.
 *
 * Each rewrite names the exact source it replaces and fails the build when that source is not
 * there (a new zod version), so an upgrade cannot quietly bring `Function` back; the release
 * tests also scan every bundle for it.
 */
const REWRITES: { file: RegExp; from: string; to: string }[] = [
  {
    file: /[\\/]zod[\\/]v4[\\/]core[\\/]util\.js$/,
    from: `    try {
        const F = Function;
        new F("");
        return true;
    }
    catch (_) {
        return false;
    }`,
    to: '    return false;',
  },
  {
    file: /[\\/]zod[\\/]v4[\\/]core[\\/]doc\.js$/,
    from: `        const F = Function;
        const content = this?.content ?? [\`\`];
        const factory = new F(...Object.keys(this.closed), \`return function (\${this.args.join(", ")}) {\\n\${content.join("\\n")}\\n};\`);
        return factory(...Object.values(this.closed));`,
    to: '        throw new Error("zod\'s parser compiler is left out of this build (scripts/zod-without-eval.ts)");',
  },
];

export function zodWithoutEval(): Plugin {
  return {
    name: 'thoughttrace:zod-without-eval',
    enforce: 'pre',
    transform(code, id) {
      const rewrite = REWRITES.find(({ file }) => file.test(id));
      if (!rewrite) return null;
      const parts = code.split(rewrite.from);
      if (parts.length !== 2) throw new Error(`zod-without-eval: ${id} no longer holds the code it rewrites; check the new zod version`);
      return { code: parts.join(rewrite.to), map: null };
    },
  };
}
