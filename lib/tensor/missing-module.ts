/**
 * Telling "this optional package is not installed" from any other failure to load it,
 * for the entries that load optional packages on first use (the training entry's
 * progress bar and plots, the ONNX exporter's protobuf messages).
 *
 * @module
 * @internal
 */

/**
 * True when `error` says that the package `name` itself (not one of its own imports)
 * cannot be found, under `require` or `import()`; a broken install or a bug inside the
 * package is anything else.
 *
 * @internal
 */
export const isMissingModule = (error: unknown, name: string): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && (message.includes(`'${name}'`) || message.includes(`"${name}"`));
};
