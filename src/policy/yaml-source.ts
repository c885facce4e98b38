/**
 * Reading claims from YAML text: documents, syntax errors with line:column, and the position and raw
 * text of any field so problems can point at the line they are about.
 */
import { type Document, LineCounter, type Node, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { PathSegment } from './schema-tree.js';
import type { Problem } from './types.js';

/** One YAML document of a file with what validation needs from it. */
export interface SourceDocument {
  /** 1-based index among the file's documents. */
  readonly index: number;
  /** The document as plain data (undefined when it had syntax errors). */
  readonly data: unknown;
  /** Syntax errors of the document. */
  readonly errors: Problem[];
  /** Line and column of a field, or of its nearest ancestor present in the text. */
  position(segments: readonly PathSegment[]): { line: number; column: number } | undefined;
  /** Raw source text of a scalar field (15.10 for an unquoted number), when present. */
  sourceText(segments: readonly PathSegment[]): string | undefined;
}

/** The non-empty documents of a YAML text, numbered among themselves; an empty list when the text holds none. */
export function readDocuments(text: string): SourceDocument[] {
  const lineCounter = new LineCounter();
  // YAML 1.1, as kubectl and Argo CD read it: an unquoted N, yes or off is a boolean there, not a string.
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: true, version: '1.1' });
  const list = Array.isArray(documents) ? documents : [];
  return list.filter((doc) => !isEmpty(doc)).map((doc, i) => sourceDocument(doc, i + 1, lineCounter));
}

/** True for a document with neither content nor errors (a stray --- or a comment). */
function isEmpty(doc: Document.Parsed): boolean {
  const contents = doc.contents;
  return (
    doc.errors.length === 0 && (contents === null || (isScalar(contents) && contents.value === null && contents.source === ''))
  );
}

function sourceDocument(doc: Document.Parsed, index: number, lineCounter: LineCounter): SourceDocument {
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const errors = syntaxErrors(doc, lineCounter);
  let data: unknown;
  if (errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // Aliases are resolved only here: an undefined anchor, or too many aliases (a YAML bomb).
      const start = (doc.contents as Node | null)?.range?.[0] ?? 0;
      errors.push({
        path: '',
        message: `YAML: ${(error as Error).message}`,
        ruleId: 'yaml.syntax',
        severity: 'error',
        ...at(start),
      });
    }
  }
  return {
    index,
    data,
    errors,
    position: (segments) => {
      const offset = locate(doc.contents, segments);
      return offset === undefined ? undefined : at(offset);
    },
    sourceText: (segments) => {
      const node = nodeAt(doc.contents, segments);
      return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
    },
  };
}

/** Syntax errors as problems, one per position, with the first line of the parser's message. */
function syntaxErrors(doc: Document.Parsed, lineCounter: LineCounter): Problem[] {
  const seen = new Set<string>();
  return doc.errors.flatMap((error) => {
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    const key = `${pos.line}:${pos.col}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    return [
      {
        path: '',
        message: `YAML syntax: ${message}`,
        ruleId: 'yaml.syntax',
        severity: 'error' as const,
        line: pos.line,
        column: pos.col,
      },
    ];
  });
}

type Step = { node: unknown; keyOffset?: number };

/** The nodes along a path, as far as the text has them. */
function walk(root: unknown, segments: readonly PathSegment[]): Step[] {
  const steps: Step[] = [{ node: root }];
  let node = root;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      node = pair.value;
      steps.push({ node, keyOffset });
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      steps.push({ node });
    } else {
      break;
    }
  }
  return steps;
}

function nodeAt(root: unknown, segments: readonly PathSegment[]): unknown {
  const steps = walk(root, segments);
  return steps.length === segments.length + 1 ? steps.at(-1)?.node : undefined;
}

/** Offset of a field: its value, else its key; for a missing field, the nearest ancestor's key. */
function locate(root: unknown, segments: readonly PathSegment[]): number | undefined {
  const steps = walk(root, segments);
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    const complete = i === segments.length;
    const value = (step.node as Node | undefined)?.range?.[0];
    if (complete && isScalar(step.node) && value !== undefined) return value;
    if (step.keyOffset !== undefined) return step.keyOffset;
    if (value !== undefined) return value;
  }
  return undefined;
}
