// typedoc plugin: a guide page's title in the reference is its first `# Heading`, not its file name.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const doc of context.project.getReflectionsByKind(ReflectionKind.Document)) {
      const text = doc.content.map((part) => part.text).join('');
      const heading = /^#\s+(.+)$/m.exec(text);
      if (heading) doc.name = heading[1].replace(/`/g, '').trim();
    }
  });
}
