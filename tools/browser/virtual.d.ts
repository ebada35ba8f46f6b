/** The loaders bundle.ts generates for the browser subset of the test files. */
declare module "virtual:test-files" {
  export const FILES: Record<string, () => Promise<unknown>>;
}
