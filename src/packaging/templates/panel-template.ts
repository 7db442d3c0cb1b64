import { HELLO_ROUTE } from './scaffold-spec.js';

/** web/panels/main.js: mounts with the bridge, asks the plugin's route, unmounts cleanly. */
export function panelTemplate(): string {
  return `// The panel \`main\`: the UI calls mount(element, bridge) when its tab opens, unmount when it closes.
export async function mount(element, bridge) {
  const line = document.createElement('p');
  line.id = \`\${bridge.idPrefix}greeting\`;
  line.textContent = bridge.i18n.t('loading');
  element.append(line);
  try {
    const answer = await bridge.api.get('${HELLO_ROUTE.slice(1)}');
    line.textContent = bridge.i18n.t('greeting', { message: answer.message });
  } catch (error) {
    line.textContent = bridge.i18n.t('failed', { message: error.message });
  }
}

export function unmount() {
  // Stop timers and unsubscribe here: the element is emptied afterwards.
}
`;
}
