// How KubeOne turns a rendered manifest file into objects (k8s.io/apimachinery's YAMLReader
// and YAMLToJSON): documents are split at lines starting with "---" (only a comment may
// follow on that line), each is trimmed, empty and comment-only (or null) documents are
// dropped, and each is read with YAML 1.1 rules (yes/no/on/off are booleans, 0755 is octal)
// as sigs.k8s.io/yaml does; timestamps stay strings.
import YAML from 'yaml';

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const PARSE_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: YAML.Tags): YAML.Tags => tags.filter((t) => (t as { tag?: string }).tag !== 'tag:yaml.org,2002:timestamp'),
  uniqueKeys: true,
};

/** The documents of a rendered file, with the line each starts on. */
export function splitDocuments(text: string, file: string): { text: string; line: number }[] {
  const docs: { text: string; line: number }[] = [];
  let current: string[] = [];
  let start = 1;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest.length > 0 && !rest.startsWith('#')) throw new ManifestError(`${file}:${i + 1}: invalid Yaml document separator: ${line}`);
      docs.push({ text: current.join('\n'), line: start });
      current = [];
      start = i + 2;
      return;
    }
    current.push(line);
  });
  docs.push({ text: current.join('\n'), line: start });
  return docs.filter((d) => d.text.trim().length > 0);
}

/** The JSON value of one document (null for a document with nothing but comments or null). */
export function parseDocument(doc: { text: string; line: number }, file: string): unknown {
  const parsed = YAML.parseDocument(doc.text, PARSE_OPTIONS);
  if (parsed.errors.length) {
    const e = parsed.errors[0]!;
    const line = (e.linePos?.[0].line ?? 1) + doc.line - 1;
    throw new ManifestError(`${file}: invalid YAML after templating (rendered line ${line}): ${e.message.split('\n')[0]}`);
  }
  return parsed.toJS({ maxAliasCount: 100 }) as unknown;
}
