import type { ScaffoldSpec } from './scaffold-spec.js';

/** web/lang/<locale>.json: the panel's title, its texts and the help shown beside it. */
export function langTemplate(spec: ScaffoldSpec, locale: 'en' | 'fr'): string {
  const messages =
    locale === 'en'
      ? {
          panels: { main: 'Main' },
          loading: 'Loading…',
          greeting: 'The plugin says: {message}',
          failed: 'The plugin did not answer: {message}',
          help: `This panel asks ${spec.id} for a greeting at GET /api/x/${spec.id}/hello.\n\nEdit index.js and web/panels/main.js to make it yours.`,
        }
      : {
          panels: { main: 'Principal' },
          loading: 'Chargement…',
          greeting: 'Le plugin dit : {message}',
          failed: "Le plugin n'a pas répondu : {message}",
          help: `Ce panneau demande un message à ${spec.id} via GET /api/x/${spec.id}/hello.\n\nModifiez index.js et web/panels/main.js pour l'adapter.`,
        };
  return `${JSON.stringify(messages, null, 2)}\n`;
}
