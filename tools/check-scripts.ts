// `npm run scripts:check -- <folder>…` (or `npx tsx tools/check-scripts.ts <folder>…`): checks
// every talk track (*.yaml, *.yml) of each folder — YAML, the format, the graph rules — and
// prints each problem as `file:line: step 'id': message`. Exits 1 when there is any, 2 when a
// folder cannot be read. With no folder, checks assets/scripts. End steps' dispositions are
// checked against the default campaigns' codes.
import { defaultDispositions } from '../main/core/outbound/default-campaigns';
import { loadScriptFolder } from '../main/core/scripts/load-script';
import { formatProblem } from '../main/core/scripts/script-errors';

function main(args: string[]): number {
  const folders = args.length > 0 ? args : ['assets/scripts'];
  let problems = 0;
  let scripts = 0;
  for (const folder of folders) {
    let result: ReturnType<typeof loadScriptFolder>;
    try {
      result = loadScriptFolder(folder, { dispositions: defaultDispositions });
    } catch (e) {
      console.error(`${folder}: cannot read the folder (${(e as Error).message})`);
      return 2;
    }
    for (const p of result.problems) console.log(formatProblem(p));
    problems += result.problems.length;
    scripts += result.scripts.length;
  }
  if (problems > 0) {
    console.log(
      `${problems} problem${problems === 1 ? '' : 's'}; ${scripts} script${scripts === 1 ? '' : 's'} OK`,
    );
    return 1;
  }
  console.log(`${scripts} script${scripts === 1 ? '' : 's'} OK`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
