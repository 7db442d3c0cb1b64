/**
 * The pure parts of the bridge plugins' panels and widgets receive (web/src/bridge/): where
 * `bridge.api` sends a path, and how `bridge.i18n.t` reads the plugins' flattened messages.
 */
import { describe, expect, it } from 'vitest';
import { panelPath, resolveApiPath } from '../../../web/src/bridge/api-path.js';
import {
  fillPlaceholders,
  pluginMessage,
  pluginMessageKey,
  translatePlugin,
} from '../../../web/src/bridge/plugin-text.js';

describe('bridge', () => {
  describe('#resolveApiPath', () => {
    it('should send a relative path to the plugin’s own routes', () => {
      expect(resolveApiPath('weather', 'stats')).toBe('/api/x/weather/stats');
      expect(resolveApiPath('weather', 'forecast/paris?days=2')).toBe('/api/x/weather/forecast/paris?days=2');
    });

    it('should read a path starting with one slash (as routes are declared) as the plugin’s route', () => {
      expect(resolveApiPath('weather', '/stats')).toBe('/api/x/weather/stats');
    });

    it('should keep a path of the API as is', () => {
      expect(resolveApiPath('weather', '/api/plugins')).toBe('/api/plugins');
      expect(resolveApiPath('weather', '/api/x/other/route')).toBe('/api/x/other/route');
    });

    it('should encode the plugin id', () => {
      expect(resolveApiPath('a b', 'x')).toBe('/api/x/a%20b/x');
    });

    it('should refuse a full URL, naming what to use instead', () => {
      expect(() => resolveApiPath('weather', 'https://example.com/steal')).toThrow(/path on this server/);
      expect(() => resolveApiPath('weather', '//example.com/x')).toThrow(/path on this server/);
    });
  });

  describe('#panelPath', () => {
    it('should name the panel provider route of the plugin', () => {
      expect(panelPath('weather', 'main')).toBe('/api/plugins/weather/panels/main');
    });
  });

  describe('#pluginMessageKey', () => {
    it('should prefix a short key with plugin.<id>. and keep a full key as is', () => {
      expect(pluginMessageKey('weather', 'title')).toBe('plugin.weather.title');
      expect(pluginMessageKey('weather', 'help.intro')).toBe('plugin.weather.help.intro');
      expect(pluginMessageKey('weather', 'plugin.weather.title')).toBe('plugin.weather.title');
    });
  });

  describe('#fillPlaceholders', () => {
    it('should replace each {name} by its value and leave unknown ones as written', () => {
      expect(fillPlaceholders('{city}: {degrees}°, {wind}', { city: 'Paris', degrees: 21 })).toBe(
        'Paris: 21°, {wind}',
      );
      expect(fillPlaceholders('{city}')).toBe('{city}');
    });

    it('should not read inherited properties as values', () => {
      expect(fillPlaceholders('{toString}', {})).toBe('{toString}');
    });
  });

  describe('#translatePlugin', () => {
    const messages = {
      'plugin.weather.title': 'Weather',
      'plugin.weather.today': 'Today in {city}',
      'plugin.weather.help.intro': 'Pick a city.',
      'plugin.other.title': 'Other',
    };

    it('should read the plugin’s message, with its placeholders filled', () => {
      expect(translatePlugin(messages, 'weather', 'title')).toBe('Weather');
      expect(translatePlugin(messages, 'weather', 'today', { city: 'Lyon' })).toBe('Today in Lyon');
      expect(translatePlugin(messages, 'weather', 'help.intro')).toBe('Pick a city.');
      expect(translatePlugin(messages, 'weather', 'plugin.weather.title')).toBe('Weather');
    });

    it('should return the key when the plugin has no such message', () => {
      expect(translatePlugin(messages, 'weather', 'missing')).toBe('missing');
      expect(translatePlugin(messages, 'weather', 'constructor')).toBe('constructor');
    });

    it('should never read another plugin’s messages with a short key', () => {
      // `plugin.other.title` is read as weather's `plugin.weather.plugin.other.title`: missing.
      expect(translatePlugin(messages, 'weather', 'plugin.other.title')).toBe('plugin.other.title');
      expect(pluginMessage(messages, 'weather', 'other.title')).toBeNull();
    });
  });

  describe('#pluginMessage', () => {
    it('should give null for a missing message (optional text such as the help)', () => {
      expect(pluginMessage({ 'plugin.a.help': 'Some help' }, 'a', 'help')).toBe('Some help');
      expect(pluginMessage({}, 'a', 'help')).toBeNull();
    });
  });
});
