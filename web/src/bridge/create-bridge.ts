import type { JovianBridge, JovianBridgeError } from '../../../src/server/api-types';
import { type ApiMethod, apiRequest, asApiError } from '../api/client';
import { eventStream } from '../live/shared-event-stream';
import { currentTheme, onThemeChange } from '../theme';
import { showToast, type ToastLevel } from '../toasts/toast-store';
import { panelPath, resolveApiPath } from './api-path';
import { pluginMessagesNow } from './plugin-messages-store';
import { translatePlugin } from './plugin-text';

const LEVELS: readonly ToastLevel[] = ['info', 'success', 'warning', 'error'];

/**
 * The bridge a plugin's panel or widget receives (`JovianBridge`, src/server/api-types.ts): the API
 * with the UI's login, the shared events socket, the plugin's messages, toasts and the theme.
 * Not a security boundary: panels run in the page with its privileges; the bridge is a convenience
 * that keeps plugins' code to the UI's conventions (paths, errors, ids).
 */
export function createBridge(pluginId: string): JovianBridge {
  // `target` computes the URL inside the try: a path the bridge refuses rejects like a failed call.
  const call = async <T>(method: ApiMethod, target: () => string, body?: unknown): Promise<T> => {
    let url = '';
    try {
      url = target();
      return await apiRequest<T>(method, url, body);
    } catch (failure) {
      const error: JovianBridgeError = asApiError(failure);
      console.error(`[plugin ${pluginId}] ${method} ${url} failed: ${error.code}: ${error.message}`, error);
      throw error;
    }
  };
  return {
    pluginId,
    idPrefix: `plugin-${pluginId}-`,
    api: {
      get: <T>(path: string) => call<T>('GET', () => resolveApiPath(pluginId, path)),
      post: <T>(path: string, body?: unknown) => call<T>('POST', () => resolveApiPath(pluginId, path), body),
      put: <T>(path: string, body?: unknown) => call<T>('PUT', () => resolveApiPath(pluginId, path), body),
      delete: <T>(path: string) => call<T>('DELETE', () => resolveApiPath(pluginId, path)),
      panel: async <T>(panelId: string, request?: unknown) =>
        (await call<{ data: T }>('POST', () => panelPath(pluginId, panelId), request)).data,
    },
    events: {
      subscribe: (pattern, listener) =>
        eventStream.subscribe({
          patterns: [pattern],
          onEvent: (topic, payload) => {
            try {
              listener(payload, topic);
            } catch (error) {
              console.error(`[plugin ${pluginId}] listener of ${topic} failed`, error);
            }
          },
        }),
    },
    i18n: {
      get locale() {
        return pluginMessagesNow().locale;
      },
      t: (key, values) => translatePlugin(pluginMessagesNow().messages, pluginId, key, values),
    },
    notify(message, options) {
      const level = options?.level;
      showToast(pluginId, String(message), level !== undefined && LEVELS.includes(level) ? level : 'info');
    },
    theme: {
      get name() {
        return currentTheme();
      },
      onChange: (listener) =>
        onThemeChange((theme) => {
          try {
            listener(theme);
          } catch (error) {
            console.error(`[plugin ${pluginId}] theme listener failed`, error);
          }
        }),
    },
  };
}
