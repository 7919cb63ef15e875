const byteaOid = 17;

/**
 * bytea to and from PGlite as hex text made by Buffer: PGlite's own converters go byte by byte
 * through an array of two-letter strings, so storing a 2 MiB upload left ~70–120 MiB of garbage on
 * the heap and reading it back as much again. Values come back as Buffers, as pg gives them.
 */
export const pgliteByteaTypes = {
  serializers: {
    [byteaOid]: (value: unknown): string => {
      if (!(value instanceof Uint8Array)) throw new TypeError('a bytea value must be a Buffer or Uint8Array');
      return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
    },
  },
  parsers: {
    [byteaOid]: (text: string): Buffer => Buffer.from(text.slice(2), 'hex'),
  },
};
