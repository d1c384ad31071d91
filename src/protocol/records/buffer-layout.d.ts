/** The few parts of buffer-layout (plain JS, no bundled types) that the batch header uses. */
declare module 'buffer-layout' {
  export class Layout<T = any> {
    constructor(span: number, property?: string);
    span: number;
    property?: string;
    decode(b: Uint8Array, offset?: number): T;
    encode(src: T, b: Uint8Array, offset?: number): number;
  }
  export class Structure<T = any> extends Layout<T> {
    fields: Layout[];
    offsetOf(property: string): number | undefined;
  }
  export function struct<T = any>(fields: Layout[], property?: string): Structure<T>;
  export function s8(property?: string): Layout<number>;
  export function s16be(property?: string): Layout<number>;
  export function s32be(property?: string): Layout<number>;
  export function u32be(property?: string): Layout<number>;
  const _default: {
    Layout: typeof Layout;
    struct: typeof struct;
    s8: typeof s8;
    s16be: typeof s16be;
    s32be: typeof s32be;
    u32be: typeof u32be;
  };
  export default _default;
}
