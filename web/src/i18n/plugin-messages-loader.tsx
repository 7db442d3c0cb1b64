import { useCallback, useEffect, useRef } from 'react';
import { getPluginMessages } from '../api/ui';
import { pluginMessagesNow, setPluginMessages } from '../bridge/plugin-messages-store';
import { useEventStream } from '../live/use-event-stream';
import { useI18n } from './i18n';

/**
 * Loads the plugins' messages (`GET /api/i18n/<language>`) for the UI's language, again when the
 * language changes and when a plugin is reloaded (its lang files may have changed). Shows nothing: a
 * failure leaves the previous messages, and plugins' text falls back to its keys. Panels and widgets
 * are mounted once the first answer is in, and again when the language changes.
 */
export function PluginMessagesLoader() {
  const { language } = useI18n();
  const generation = useRef(0);
  const load = useCallback(() => {
    const mine = ++generation.current;
    getPluginMessages(language).then(
      (answer) => {
        if (mine !== generation.current) return;
        setPluginMessages({ locale: language, messages: answer.messages });
        for (const problem of answer.problems)
          console.warn(`plugin ${problem.plugin}: ${problem.contribution}: ${problem.message}`);
      },
      (failure: unknown) => {
        console.warn('cannot load the plugins’ messages', failure);
        // Panels wait for the messages: let them mount, their texts falling back to their keys.
        if (mine === generation.current) setPluginMessages({ ...pluginMessagesNow(), locale: language });
      },
    );
  }, [language]);
  useEffect(() => load(), [load]);
  useEventStream(['plugin.reloaded'], load);
  return null;
}
