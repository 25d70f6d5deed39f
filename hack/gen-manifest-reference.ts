// Generates docs/manifest-reference.md from the manifest JSON Schema
// (schemas/kubeonecluster-v1beta2.json).
//
//   npx tsx hack/gen-manifest-reference.ts          # (re)write docs/manifest-reference.md
//   npx tsx hack/gen-manifest-reference.ts --check  # exit 1 when the file is out of date
//
// renderManifestReference() is pure (schema in, Markdown out); the file I/O happens in main().
// cmd/docs-reference.test.ts fails when the committed file differs from what it renders.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The subset of JSON Schema (2020-12 / draft-07) the manifest schema uses. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $defs?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
}

export const SCHEMA_FILE = 'schemas/kubeonecluster-v1beta2.json';
export const OUTPUT_FILE = 'docs/manifest-reference.md';
export const GENERATOR_FILE = 'hack/gen-manifest-reference.ts';

interface Row {
  path: string;
  type: string;
  default: string;
  description: string;
}

interface Section {
  heading: string;
  anchor: string;
  intro: string[];
  rows: Row[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves a local JSON pointer (`#/$defs/Name`, `#/definitions/Name`, ...). */
function resolvePointer(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#')) throw new Error(`unsupported $ref ${ref}: only references inside the schema are resolved`);
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !(key in node)) throw new Error(`unresolvable $ref ${ref}`);
    node = node[key];
  }
  if (!isObject(node)) throw new Error(`$ref ${ref} does not point at a schema`);
  return node as Schema;
}

/** An object with named fields: gets its own table (or its rows in the parent's table). */
function hasFields(s: Schema): boolean {
  return s.properties !== undefined && Object.keys(s.properties).length > 0;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** Escapes text for a table cell; `<`/`>` outside code spans would read as HTML. */
function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;').replace(/>/g, '&gt;') : part))
    .join('`')
    .replace(/\|/g, '\\|');
}

/** A JSON value as inline code. */
const code = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
};

const plain = (value: unknown): string => (typeof value === 'string' && value !== '' ? `\`${value}\`` : code(value));

/** The schema's own words, ended with a full stop so that further sentences can follow. */
function sentence(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t) return '';
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

class Renderer {
  private readonly defs = new Map<string, { name: string; schema: Schema }>();
  private readonly anchors = new Map<string, string>();
  private readonly usedAnchors = new Set<string>();
  private readonly usages = new Map<string, string[]>();
  readonly hasDefaults: boolean;

  constructor(private readonly root: Schema) {
    for (const key of ['definitions', '$defs'] as const) {
      for (const [name, schema] of Object.entries(root[key] ?? {})) this.defs.set(`#/${key}/${name}`, { name, schema });
    }
    this.hasDefaults = this.anyDefault(root, new Set());
    this.collectUsages(root, '', new Set());
  }

  /** Whether any schema node reachable from `s` declares a default. */
  private anyDefault(s: Schema, seen: Set<Schema>): boolean {
    if (seen.has(s)) return false;
    seen.add(s);
    if (s.default !== undefined) return true;
    return this.children(s).some((c) => this.anyDefault(c, seen));
  }

  private children(s: Schema): Schema[] {
    const out: Schema[] = [];
    if (s.$ref) out.push(resolvePointer(this.root, s.$ref));
    out.push(...Object.values(s.properties ?? {}));
    if (isObject(s.additionalProperties)) out.push(s.additionalProperties as Schema);
    if (s.items) out.push(s.items);
    for (const list of [s.anyOf, s.oneOf, s.allOf]) out.push(...(list ?? []));
    for (const defs of [s.$defs, s.definitions]) out.push(...Object.values(defs ?? {}));
    return out;
  }

  /** Records, for every shared definition, the full manifest paths where it is used. */
  private collectUsages(s: Schema, at: string, visiting: Set<string>): void {
    if (s.$ref) {
      const list = this.usages.get(s.$ref) ?? [];
      if (!list.includes(at)) list.push(at);
      this.usages.set(s.$ref, list);
      if (visiting.has(s.$ref)) return;
      visiting.add(s.$ref);
      this.collectUsages(resolvePointer(this.root, s.$ref), at, visiting);
      visiting.delete(s.$ref);
      return;
    }
    for (const [name, prop] of Object.entries(s.properties ?? {})) this.collectUsages(prop, at ? `${at}.${name}` : name, visiting);
    if (isObject(s.additionalProperties)) this.collectUsages(s.additionalProperties as Schema, `${at}.<key>`, visiting);
    if (s.items) this.collectUsages(s.items, `${at}[]`, visiting);
    for (const list of [s.anyOf, s.oneOf, s.allOf]) for (const sub of list ?? []) this.collectUsages(sub, at, visiting);
  }

  private anchorFor(heading: string): string {
    const base = slug(heading);
    let anchor = base;
    for (let i = 1; this.usedAnchors.has(anchor); i++) anchor = `${base}-${i}`;
    this.usedAnchors.add(anchor);
    return anchor;
  }

  /** A definition worth its own section: an object with fields. */
  private tabledDef(ref: string): { name: string; schema: Schema } | undefined {
    const def = this.defs.get(ref);
    return def && hasFields(def.schema) ? def : undefined;
  }

  private defLink(ref: string): string | undefined {
    const def = this.tabledDef(ref);
    const anchor = this.anchors.get(ref);
    return def && anchor ? `[${def.name}](#${anchor})` : undefined;
  }

  /** The Type cell. */
  private typeOf(s: Schema): string {
    if (s.$ref) return this.defLink(s.$ref) ?? this.typeOf(resolvePointer(this.root, s.$ref));
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.includes('array') || (types.length === 0 && s.items)) {
      return `array of ${s.items ? this.typeOf(s.items) : 'any'}`;
    }
    if (types.includes('object') || (types.length === 0 && (s.properties || s.additionalProperties !== undefined))) {
      if (hasFields(s)) return 'object';
      if (isObject(s.additionalProperties)) return `map of ${this.typeOf(s.additionalProperties as Schema)}`;
      if (s.additionalProperties === false) return 'object, empty (`{}`)';
      return 'object (any fields)';
    }
    if (types.length > 0) return types.join(' or ');
    if (s.const !== undefined) return typeof s.const;
    if (s.enum) return [...new Set(s.enum.map((v) => (v === null ? 'null' : typeof v)))].join(' or ');
    return 'any';
  }

  /** What a schema (or an anyOf branch) allows beyond its type, as short phrases. */
  private constraints(s: Schema): string[] {
    const out: string[] = [];
    if (s.const !== undefined) out.push(`Must be ${plain(s.const)}.`);
    if (s.enum) out.push(`One of ${s.enum.map(plain).join(', ')}.`);
    if (s.format) out.push(`Format \`${s.format}\`.`);
    if (s.pattern) out.push(`Matches \`${s.pattern}\`.`);
    const bounds = (lo: number | undefined, hi: number | undefined, unit: string): string | undefined => {
      if (lo !== undefined && hi !== undefined) return `from ${lo} to ${hi}${unit}`;
      if (lo !== undefined) return `at least ${lo}${unit}`;
      if (hi !== undefined) return `at most ${hi}${unit}`;
      return undefined;
    };
    const value = bounds(s.minimum, s.maximum, '');
    if (value) out.push(`${value[0]!.toUpperCase()}${value.slice(1)}.`);
    if (s.exclusiveMinimum !== undefined) out.push(`Greater than ${s.exclusiveMinimum}.`);
    if (s.exclusiveMaximum !== undefined) out.push(`Less than ${s.exclusiveMaximum}.`);
    const length = bounds(s.minLength, s.maxLength, ' characters');
    if (length) out.push(`Length ${length}.`);
    const items = bounds(s.minItems, s.maxItems, ' items');
    if (items) out.push(`${items[0]!.toUpperCase()}${items.slice(1)}.`);
    if (s.uniqueItems) out.push('No duplicates.');
    for (const [word, list] of [['Either', s.anyOf], ['Exactly one of', s.oneOf]] as const) {
      if (list && list.length > 0) out.push(`${word} ${list.map((b) => this.branch(b)).join(word === 'Either' ? ' or ' : ', ')}.`);
    }
    for (const sub of s.allOf ?? []) out.push(...this.constraints(sub));
    if (hasFields(s) && s.additionalProperties !== false) out.push('Fields not listed here are allowed.');
    return out;
  }

  /** One anyOf/oneOf branch in words. */
  private branch(b: Schema): string {
    if (b.$ref) return this.defLink(b.$ref) ?? this.branch(resolvePointer(this.root, b.$ref));
    const keys = Object.keys(b).filter((k) => k !== 'description');
    if (keys.length === 1 && b.maxLength === 0) return 'empty';
    if (keys.length === 1 && b.format) return `format \`${b.format}\``;
    if (keys.length === 1 && b.const !== undefined) return plain(b.const);
    if (keys.length === 1 && b.type) return this.typeOf(b);
    const words = this.constraints(b).map((c) => c.replace(/\.$/, '').replace(/^./, (ch) => ch.toLowerCase()));
    const type = b.type || b.items || b.properties ? this.typeOf(b) : '';
    return [type, ...words].filter(Boolean).join(', ') || 'anything';
  }

  private row(s: Schema, fieldPath: string, required: boolean): Row {
    const target = s.$ref ? resolvePointer(this.root, s.$ref) : undefined;
    // A reference to a table-less definition (e.g. a string enum) shows that definition's rules.
    const inline = target && !this.defLink(s.$ref!) ? target : undefined;
    const parts = [
      required ? '**Required.**' : '',
      sentence(s.description ?? target?.description ?? ''),
      ...this.constraints(s),
      ...(inline ? this.constraints(inline) : []),
    ].filter(Boolean);
    const dflt = s.default !== undefined ? s.default : inline?.default;
    return { path: fieldPath, type: this.typeOf(s), default: dflt === undefined ? '' : code(dflt), description: parts.join(' ') };
  }

  /** The rows of an object: its fields, and the fields of inline objects below them. */
  private rows(s: Schema, prefix: string): Row[] {
    const out: Row[] = [];
    const required = new Set(s.required ?? []);
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const fieldPath = `${prefix}${name}`;
      out.push(this.row(prop, fieldPath, required.has(name)));
      out.push(...this.below(prop, fieldPath));
    }
    return out;
  }

  /** Rows for what an inline (non-$ref) field contains. */
  private below(prop: Schema, fieldPath: string): Row[] {
    if (prop.$ref) return [];
    if (hasFields(prop)) return this.rows(prop, `${fieldPath}.`);
    if (prop.items && !prop.items.$ref && hasFields(prop.items)) return this.rows(prop.items, `${fieldPath}[].`);
    const map = prop.additionalProperties;
    if (isObject(map) && !(map as Schema).$ref && hasFields(map as Schema)) return this.rows(map as Schema, `${fieldPath}.<key>.`);
    return [];
  }

  private usedAt(ref: string): string {
    const paths = this.usages.get(ref) ?? [];
    return paths.length > 0 ? `Used at ${paths.map((p) => `\`${p}\``).join(', ')}.` : 'Not used by any field.';
  }

  render(): string {
    const root = this.root;
    const top = root.properties ?? {};
    // Sections: the top level, each top-level field holding an inline object, each shared
    // definition with fields. Anchors are assigned in document order, as GitHub does.
    const title = root.title ?? 'Manifest';
    this.anchorFor(`Manifest reference: ${title}`);
    this.anchorFor('Contents');
    const topAnchor = this.anchorFor('Top level');
    const fieldSections: { name: string; schema: Schema; anchor: string; heading: string }[] = [];
    for (const [name, schema] of Object.entries(top)) {
      if (schema.$ref) continue;
      const inner = hasFields(schema) ? schema : schema.items && !schema.items.$ref && hasFields(schema.items) ? schema.items : undefined;
      if (!inner) continue;
      const heading = `\`${name}\``;
      fieldSections.push({ name, schema, heading, anchor: this.anchorFor(heading) });
    }
    const defSections: { ref: string; name: string; schema: Schema; heading: string; anchor: string }[] = [];
    for (const [ref, def] of this.defs) {
      if (!hasFields(def.schema)) continue;
      const heading = `\`${def.name}\``;
      const anchor = this.anchorFor(heading);
      this.anchors.set(ref, anchor);
      defSections.push({ ref, ...def, heading, anchor });
    }
    const sectionOf = new Map(fieldSections.map((f) => [f.name, f.anchor]));

    const sections: Section[] = [];
    const required = new Set(root.required ?? []);
    sections.push({
      heading: 'Top level',
      anchor: topAnchor,
      intro: [sentence(root.description ?? '')].filter(Boolean),
      rows: Object.entries(top).map(([name, prop]) => {
        const r = this.row(prop, name, required.has(name));
        const anchor = sectionOf.get(name);
        return anchor ? { ...r, type: r.type.replace(/^(array of )?object$/, (_m, arr: string | undefined) => `${arr ?? ''}[object](#${anchor})`) } : r;
      }),
    });
    for (const f of fieldSections) {
      const isArray = !hasFields(f.schema);
      sections.push({
        heading: f.heading,
        anchor: f.anchor,
        intro: [
          [sentence(f.schema.description ?? ''), ...this.constraints(f.schema)].filter(Boolean).join(' '),
          isArray ? `A list; each element has these fields.` : '',
        ].filter(Boolean),
        rows: isArray ? this.rows(f.schema.items!, `${f.name}[].`) : this.rows(f.schema, `${f.name}.`),
      });
    }
    for (const d of defSections) {
      sections.push({
        heading: d.heading,
        anchor: d.anchor,
        intro: [[sentence(d.schema.description ?? ''), ...this.constraints(d.schema)].filter(Boolean).join(' '), this.usedAt(d.ref)].filter(Boolean),
        rows: this.rows(d.schema, ''),
      });
    }

    const out: string[] = [
      `# Manifest reference: ${title}`,
      '',
      `<!-- Generated by ${GENERATOR_FILE} from ${SCHEMA_FILE}. Do not edit by hand. -->`,
      '',
      `This page is generated from the manifest's JSON Schema, \`${SCHEMA_FILE}\` (also printed by`,
      '`kubeone config schema`). Do not edit it by hand: change the schema, then regenerate it:',
      '',
      '```sh',
      `npx tsx ${GENERATOR_FILE}          # rewrites ${OUTPUT_FILE}`,
      `npx tsx ${GENERATOR_FILE} --check  # exits 1 when ${OUTPUT_FILE} is out of date`,
      '```',
      '',
      'The unit test `cmd/docs-reference.test.ts` fails while this page is out of date.',
      '',
      'How to read the tables:',
      '',
      '- **Field** is the path from the object the table describes; `[]` stands for any element of',
      '  a list and `<key>` for any key of a map. Fields of nested objects follow their parent.',
      '- **Type**: `map of T` is an object with keys of your choosing and values of type T;',
      '  a linked name is a shared type described in its own section below.',
      '- Fields that are not listed are rejected, unless the table says otherwise or the type is',
      '  `map of ...`, `any` or `object (any fields)`.',
      this.hasDefaults
        ? '- **Default** is the value the schema declares; other defaults applied when the manifest is loaded are in the descriptions.'
        : '- The schema declares no `default` values. Defaults applied when the manifest is loaded are\n  named in the descriptions where the schema states them; `kubeone config dump -m FILE` prints\n  a manifest with every default filled in.',
      '- Rules that involve several fields (one cloud provider, unique addresses, subnets that must',
      '  not overlap, ...) are checked after the schema: see [manifest.md](manifest.md) and',
      '  [manifest-extensions.md](manifest-extensions.md).',
      '',
      '## Contents',
      '',
      ...sections.slice(0, 1 + fieldSections.length).map((s) => `- [${s.heading}](#${s.anchor})`),
      ...(defSections.length > 0 ? ['- Shared types: ' + defSections.map((d) => `[${d.name}](#${d.anchor})`).join(', ')] : []),
      '',
    ];
    for (const s of sections) {
      out.push(`## ${s.heading}`, '');
      for (const p of s.intro) out.push(p, '');
      if (s.rows.length === 0) continue;
      const header = this.hasDefaults ? ['Field', 'Type', 'Default', 'Description'] : ['Field', 'Type', 'Description'];
      out.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
      for (const r of s.rows) {
        const cells = [`\`${r.path}\``, cell(r.type), ...(this.hasDefaults ? [cell(r.default)] : []), cell(r.description)];
        out.push(`| ${cells.join(' | ')} |`);
      }
      out.push('');
    }
    return `${out.join('\n').replace(/\n+$/, '')}\n`;
  }
}

/** The Markdown reference of a manifest JSON Schema. Pure: no I/O, same input, same output. */
export function renderManifestReference(schema: unknown): string {
  if (!isObject(schema)) throw new Error('the manifest schema must be a JSON object');
  return new Renderer(schema as Schema).render();
}

function main(argv: string[]): number {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const schema = JSON.parse(readFileSync(path.join(repo, SCHEMA_FILE), 'utf8')) as unknown;
  const text = renderManifestReference(schema);
  const target = path.join(repo, OUTPUT_FILE);
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      /* missing: out of date */
    }
    if (current !== text) {
      process.stderr.write(`${OUTPUT_FILE} is out of date: run \`npx tsx ${GENERATOR_FILE}\`\n`);
      return 1;
    }
    process.stdout.write(`${OUTPUT_FILE} is up to date\n`);
    return 0;
  }
  writeFileSync(target, text);
  process.stdout.write(`wrote ${OUTPUT_FILE}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
