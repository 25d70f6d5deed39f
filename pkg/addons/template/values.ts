// Go values as templates see them. Go's text/template works on reflect.Value: every value has
// a static type (string, int, *kubeone.KubeOneCluster, map[string]string, ...) that decides
// field lookup, truthiness, comparison and printing. Plain JS strings, booleans and numbers
// stand for Go string, bool and int; everything else carries its Go type explicitly. There
// are no function values: a template can only call registered functions and the methods
// declared on a struct type (the sandbox: nothing reaches JavaScript objects or prototypes).

export type Kind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'ptr';

/** Go's invalid reflect.Value: a missing map key, a nil interface. Prints as `<no value>`. */
export const NO_VALUE: unique symbol = Symbol('no value');
export type NoValue = typeof NO_VALUE;

/** A scalar whose Go type is not the default one of its JS value: float64, int32, kubeone.IPFamily, ... */
export class Scalar {
  constructor(
    readonly type: string,
    readonly kind: 'bool' | 'int' | 'uint' | 'float' | 'string',
    readonly value: boolean | number | string,
    /** Methods of the named type (kubeone.IPFamily.IsDualstack, ...). */
    readonly methods?: ReadonlyMap<string, Method>,
  ) {}
}

export function float64(n: number): Scalar {
  return new Scalar('float64', 'float', n);
}

export function int64(n: number): Scalar {
  return new Scalar('int64', 'int', n);
}

/** A method of a Go type as templates may call it (receiver first, then the arguments). */
export interface Method {
  params: ParamType[];
  variadic?: ParamType;
  /** Returns the result; throws an Error for a non-nil `error` result. */
  call(receiver: GoValue, args: GoValue[]): GoValue;
}

export interface StructField {
  name: string;
  /** encoding/json name ('' for an embedded struct whose fields are promoted). */
  json: string;
  omitempty: boolean;
  /** Go type of the field, for messages and zero values. */
  type: string;
  /** An embedded struct: its fields are promoted (reachable as fields of the outer struct). */
  embedded?: boolean;
}

export interface StructType {
  /** Go type name with package, e.g. kubeone.ProxyConfig. */
  name: string;
  fields: readonly StructField[];
  methods?: ReadonlyMap<string, Method>;
  /** fmt.Stringer: how fmt and templates print the value. */
  stringer?: (v: GoStruct) => string;
  /** json.Marshaler. */
  toJSON?: (v: GoStruct) => GoValue;
}

/** A Go struct value (pointer: reached through a non-nil pointer, as *T). */
export class GoStruct {
  readonly values: ReadonlyMap<string, GoValue>;
  constructor(
    readonly type: StructType,
    values: Iterable<[string, GoValue]>,
    readonly pointer = false,
  ) {
    this.values = new Map(values);
  }
  get typeName(): string {
    return this.pointer ? `*${this.type.name}` : this.type.name;
  }
  hasField(name: string): boolean {
    return this.field(name) !== undefined;
  }
  /** A field by name, promoted fields of embedded structs included (undefined when there is none). */
  field(name: string): GoValue | undefined {
    if (this.type.fields.some((f) => f.name === name)) return this.values.get(name) ?? null;
    for (const f of this.type.fields) {
      if (!f.embedded) continue;
      const inner = this.values.get(f.name);
      if (inner instanceof GoStruct) {
        const v = inner.field(name);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }
}

/** A nil pointer (or nil interface of a named type): `<nil>` when printed, false when tested. */
export class NilPointer {
  constructor(
    /** e.g. *kubeone.AWSSpec */
    readonly type: string,
    readonly elem?: StructType,
  ) {}
}

/** A Go map with string keys (every map templates see has string keys). */
export class GoMap {
  readonly entries: Map<string, GoValue>;
  constructor(
    /** e.g. map[string]string, map[string]interface {} */
    readonly type: string,
    /** Entries; a Map is used as it is (not copied), which lets a map compute its values on first read. */
    entries: Iterable<[string, GoValue]> = [],
    readonly nil = false,
  ) {
    this.entries = entries instanceof Map ? entries : new Map(entries);
  }
  /** The element type's zero value (what `index` returns for a missing key). */
  get elemZero(): GoValue {
    return zeroOf(elemType(this.type));
  }
  sortedKeys(): string[] {
    return [...this.entries.keys()].sort(compareStrings);
  }
}

/** A Go value in the template world. Arrays are Go slices; see sliceType/markSlice. */
export type GoValue = string | boolean | number | Scalar | GoStruct | NilPointer | GoMap | GoValue[] | GoTime | NoValue | null;

/** time.Time (sprig's date functions): milliseconds since the epoch plus nanoseconds and a zone. */
export class GoTime {
  constructor(
    readonly ms: number,
    /** Sub-millisecond nanoseconds (0..999999). */
    readonly nanos = 0,
    /** Offset east of UTC in minutes, and the zone name. */
    readonly offsetMinutes = 0,
    readonly zone = 'UTC',
  ) {}
}

const SLICE_TYPES = new WeakMap<object, string>();
const NIL_SLICES = new WeakSet<object>();

/** Records the Go type of a slice ([]string, []kubeone.HostConfig); the default is []interface {}. */
export function markSlice<T extends GoValue[]>(arr: T, type: string, nil = false): T {
  SLICE_TYPES.set(arr, type);
  if (nil) NIL_SLICES.add(arr);
  return arr;
}

export function sliceType(arr: GoValue[]): string {
  return SLICE_TYPES.get(arr) ?? '[]interface {}';
}

export function isNilSlice(arr: GoValue[]): boolean {
  return NIL_SLICES.has(arr);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Element type of a slice or map type name. */
export function elemType(type: string): string {
  if (type.startsWith('[]')) return type.slice(2);
  if (type.startsWith('map[')) {
    let depth = 0;
    for (let i = 3; i < type.length; i++) {
      if (type[i] === '[') depth++;
      else if (type[i] === ']' && --depth === 0) return type.slice(i + 1);
    }
  }
  return 'interface {}';
}

/** The zero value of a Go type, as far as templates can observe it. */
export function zeroOf(type: string, structs?: (name: string) => StructType | undefined): GoValue {
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0;
    case 'interface {}':
    case 'any':
      return null;
  }
  if (/^u?int(8|16|32|64)?$/.test(type)) return new Scalar(type, type.startsWith('u') ? 'uint' : 'int', 0);
  if (type === 'float64' || type === 'float32') return new Scalar(type, 'float', 0);
  if (type.startsWith('*')) return new NilPointer(type, structs?.(type.slice(1)));
  if (type.startsWith('[]')) return markSlice([], type, true);
  if (type.startsWith('map[')) return new GoMap(type, [], true);
  return null;
}

/** reflect.Kind of a value. */
export function kindOf(v: GoValue): Kind {
  if (v === NO_VALUE || v === null || v === undefined) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'int';
  if (v instanceof Scalar) return v.kind;
  if (Array.isArray(v)) return 'slice';
  if (v instanceof GoMap) return 'map';
  if (v instanceof GoStruct) return v.pointer ? 'ptr' : 'struct';
  if (v instanceof NilPointer) return 'ptr';
  if (v instanceof GoTime) return 'struct';
  return 'invalid';
}

/** The Go type name (fmt's %T). */
export function typeName(v: GoValue): string {
  if (v === NO_VALUE || v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'int';
  if (v instanceof Scalar) return v.type;
  if (Array.isArray(v)) return sliceType(v);
  if (v instanceof GoMap) return v.type;
  if (v instanceof GoStruct) return v.typeName;
  if (v instanceof NilPointer) return v.type;
  if (v instanceof GoTime) return 'time.Time';
  return '<nil>';
}

/** The primitive inside a scalar (named string/int/bool types and floats alike). */
export function primitive(v: GoValue): GoValue {
  return v instanceof Scalar ? v.value : v;
}

/**
 * What a function parameter of type interface{} receives: named strings, ints and bools
 * lose their name (sprig's type switches treat them by kind anyway); floats stay Scalars so
 * that they remain floats.
 */
export function normalize(v: GoValue): GoValue {
  if (v === NO_VALUE || v === undefined) return null;
  if (v instanceof Scalar && v.kind !== 'float') return v.value;
  if (v instanceof Scalar && v.type !== 'float64') return float64(v.value as number);
  return v;
}

export function isNil(v: GoValue): boolean {
  if (v === NO_VALUE || v === null || v === undefined) return true;
  if (v instanceof NilPointer) return true;
  if (v instanceof GoMap) return v.nil;
  if (Array.isArray(v)) return isNilSlice(v);
  return false;
}

/** text/template's truth: not the zero value of its type. `ok` is false for values with no truth. */
export function truth(v: GoValue): boolean {
  if (v === NO_VALUE || v === null || v === undefined) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof Scalar) return v.kind === 'string' ? (v.value as string).length > 0 : v.kind === 'bool' ? v.value === true : v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof NilPointer) return false;
  return true; // structs, non-nil pointers, times
}

/** sprig's empty(): the zero value of its type (structs are never empty, nil pointers are). */
export function empty(v: GoValue): boolean {
  return !truth(v);
}

/** Go's == on comparable values (DeepEqual-free): used by eq/ne and sprig's has/uniq/without. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  if (a === NO_VALUE || a === null || b === NO_VALUE || b === null) return (a === NO_VALUE || a === null) && (b === NO_VALUE || b === null);
  if (typeName(a) !== typeName(b)) return false;
  if (a instanceof Scalar && b instanceof Scalar) return a.value === b.value;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]!));
  if (a instanceof GoMap && b instanceof GoMap) {
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, x] of a.entries) if (!b.entries.has(k) || !deepEqual(x, b.entries.get(k)!)) return false;
    return true;
  }
  if (a instanceof GoStruct && b instanceof GoStruct) {
    return a.type === b.type && a.type.fields.every((f) => deepEqual(a.values.get(f.name) ?? null, b.values.get(f.name) ?? null));
  }
  if (a instanceof NilPointer && b instanceof NilPointer) return true;
  if (a instanceof GoTime && b instanceof GoTime) return a.ms === b.ms && a.nanos === b.nanos;
  return false;
}

/** Length of a string (in bytes, as Go), slice or map; undefined for other kinds. */
export function lengthOf(v: GoValue): number | undefined {
  const p = primitive(v);
  if (typeof p === 'string') return Buffer.byteLength(p, 'utf8');
  if (Array.isArray(v)) return v.length;
  if (v instanceof GoMap) return v.entries.size;
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Parameter types of functions and methods: how Go checks an argument (evalArg/validateType).

/** Go type of a function parameter: a concrete type name, 'interface {}' or 'reflect.Value'. */
export type ParamType = string;

export const ANY: ParamType = 'interface {}';
export const VALUE: ParamType = 'reflect.Value';

/** Whether a value of Go type `from` is assignable to parameter type `to` (Go's AssignableTo, for our types). */
export function assignable(v: GoValue, to: ParamType): boolean {
  if (to === ANY || to === VALUE) return true;
  return typeName(v) === to;
}

/** Whether an untyped nil can stand for this parameter type. */
export function canBeNil(t: ParamType): boolean {
  return t === ANY || t === VALUE || t.startsWith('*') || t.startsWith('[]') || t.startsWith('map[');
}

/** Converts a JS value (JSON-like: objects, arrays, strings, numbers) into Go values as json.Unmarshal into interface{} would. */
export function fromJS(v: unknown, floats = true): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return floats ? float64(v) : v;
  if (Array.isArray(v)) return v.map((x) => fromJS(x, floats));
  if (typeof v === 'object') {
    return new GoMap(
      'map[string]interface {}',
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromJS(x, floats)]),
    );
  }
  return null;
}

/** A map[string]string from a plain record. */
export function stringMap(rec: Record<string, string> | undefined, nilWhenAbsent = false): GoMap {
  return new GoMap('map[string]string', Object.entries(rec ?? {}), nilWhenAbsent && rec === undefined);
}

/**
 * rec[key] only when it is the record's own property: template-controlled keys ("constructor",
 * "__proto__", ...) never reach a prototype.
 */
export function own<T>(rec: Readonly<Record<string, T>> | NodeJS.ProcessEnv, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? (rec as Record<string, T>)[key] : undefined;
}

/** An own string property (environment variables, credentials). */
export function ownString(rec: Readonly<Record<string, unknown>> | NodeJS.ProcessEnv, key: string): string | undefined {
  const v = own(rec as Record<string, unknown>, key);
  return typeof v === 'string' ? v : undefined;
}
