// npm puts the pinned `node` devDependency (v22) first on PATH for every script; refuse to run on anything older.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`Portico needs Node 22 (found ${process.version}). Run scripts through npm so the pinned node@22 is used.`);
  process.exit(1);
}
