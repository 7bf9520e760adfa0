// Entry of a FitPool worker thread. The fit is TypeScript: a parent started under tsx (the CLI, the benches)
// passes its loader to the worker; anywhere else (a test runner) tsx is registered here first.
try {
  await import('./fit-worker.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' && error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
  const { register } = await import('tsx/esm/api');
  register();
  await import('./fit-worker.ts');
}
