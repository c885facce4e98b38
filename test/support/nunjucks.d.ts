// The parts of nunjucks (which ships no types) that test/backstage uses to render the template's claim file.
declare module 'nunjucks' {
  /** A template environment. */
  export class Environment {
    constructor(loader?: null, options?: { autoescape?: boolean; throwOnUndefined?: boolean; tags?: Record<string, string> });
    renderString(template: string, context: Record<string, unknown>): string;
  }
  const nunjucks: { Environment: typeof Environment };
  export default nunjucks;
}
