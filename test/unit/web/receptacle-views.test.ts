/**
 * The pure parts of what the WebUI shows around plugins' contributions: the help paragraphs, the log
 * panel's filters and pause, the dashboard's columns and the console's trace.
 */
import { describe, expect, it } from 'vitest';
import type { ApiLogLine, ApiWidget } from '../../../src/server/api-types.js';
import { logLinesShown } from '../../../web/src/components/log-lines-shown.js';
import { formatDuration, stepSummary } from '../../../web/src/console/step-summary.js';
import { moduleUrl } from '../../../web/src/contributions/contribution-module.js';
import { widgetColumns } from '../../../web/src/dashboard/widget-columns.js';
import { helpParagraphs } from '../../../web/src/pages/help-paragraphs.js';

const line = (seq: number, level: ApiLogLine['level'], message: string, data?: unknown) => ({
  plugin: 'p',
  level,
  message,
  at: 1_767_312_000_000 + seq,
  seq,
  ...(data === undefined ? {} : { data }),
});

describe('WebUI views', () => {
  describe('#helpParagraphs', () => {
    it('should split the help on blank lines, trimmed, and drop empty paragraphs', () => {
      expect(helpParagraphs('First line\nstill first.\n\n  Second.  \n \n\n\nThird.\n')).toEqual([
        'First line\nstill first.',
        'Second.',
        'Third.',
      ]);
    });

    it('should read Windows line ends, and give nothing for no help', () => {
      expect(helpParagraphs('A\r\n\r\nB')).toEqual(['A', 'B']);
      expect(helpParagraphs(null)).toEqual([]);
      expect(helpParagraphs('  \n\n ')).toEqual([]);
    });

    it('should keep markup as text (the page never renders it as HTML)', () => {
      expect(helpParagraphs('<img src=x onerror=alert(1)>')).toEqual(['<img src=x onerror=alert(1)>']);
    });
  });

  describe('#logLinesShown', () => {
    const lines = [
      line(1, 'debug', 'starting'),
      line(2, 'info', 'fetched Paris', { city: 'Paris' }),
      line(3, 'warn', 'slow answer from Lyon'),
      line(4, 'error', 'Paris timed out'),
    ];
    const all = { level: 'debug', search: '', pausedAfter: null } as const;

    it('should show every line by default', () => {
      expect(logLinesShown(lines, all)).toEqual({ shown: lines, held: 0, filtered: 0 });
    });

    it('should keep the chosen level and above, counting the others as filtered', () => {
      const view = logLinesShown(lines, { ...all, level: 'warn' });
      expect(view.shown.map((l) => l.seq)).toEqual([3, 4]);
      expect(view.filtered).toBe(2);
    });

    it('should keep lines where every searched word appears, in any case, in the message, data or level', () => {
      expect(logLinesShown(lines, { ...all, search: 'paris' }).shown.map((l) => l.seq)).toEqual([2, 4]);
      expect(logLinesShown(lines, { ...all, search: 'PARIS timed' }).shown.map((l) => l.seq)).toEqual([4]);
      expect(logLinesShown(lines, { ...all, search: '"city"' }).shown.map((l) => l.seq)).toEqual([2]);
      expect(logLinesShown(lines, { ...all, search: 'warn' }).shown.map((l) => l.seq)).toEqual([3]);
    });

    it('should hold back the lines after the pause, counting them, whatever the filters', () => {
      const view = logLinesShown(lines, { level: 'error', search: '', pausedAfter: 2 });
      expect(view.shown).toEqual([]);
      expect(view.held).toBe(2);
      expect(view.filtered).toBe(2);
      expect(logLinesShown(lines, { ...all, pausedAfter: 4 }).held).toBe(0);
    });
  });

  describe('#moduleUrl', () => {
    it('should import the module as is at first, then with a new query after each reload', () => {
      expect(moduleUrl('/plugins/p/assets/panels/main.js', 0)).toBe('/plugins/p/assets/panels/main.js');
      expect(moduleUrl('/plugins/p/assets/panels/main.js', 17)).toBe('/plugins/p/assets/panels/main.js?v=17');
      expect(moduleUrl('/m.js?x=1', 2)).toBe('/m.js?x=1&v=2');
    });
  });

  describe('#widgetColumns', () => {
    const widget = (id: string, mountPoint: string): ApiWidget => ({
      plugin: 'p',
      id,
      mountPoint,
      module: `/plugins/p/assets/widgets/${id}.js`,
    });

    it('should put each widget in its column, in order, and list the unknown mount points apart', () => {
      const columns = widgetColumns([
        widget('a', 'dashboard.main'),
        widget('b', 'dashboard.right_column'),
        widget('c', 'sidebar'),
        widget('d', 'dashboard.main'),
      ]);
      expect(columns.main.map((w) => w.id)).toEqual(['a', 'd']);
      expect(columns.right.map((w) => w.id)).toEqual(['b']);
      expect(columns.unknown.map((w) => w.id)).toEqual(['c']);
    });
  });

  describe('#stepSummary', () => {
    it('should say what a tap returned, shortened, or null when it returned nothing', () => {
      expect(
        stepSummary({ hook: 'on_command', plugin: 'a', outcome: 'ok', result: { response: 'hi' } }),
      ).toBe('{"response":"hi"}');
      expect(stepSummary({ hook: 'on_chat', plugin: 'a', outcome: 'ok' })).toBeNull();
      expect(stepSummary({ hook: 'x', plugin: 'a', outcome: 'ok', result: 'y'.repeat(500) })).toHaveLength(
        160,
      );
    });

    it('should give a failed tap’s code and message', () => {
      expect(
        stepSummary({
          hook: 'on_chat',
          plugin: 'a',
          outcome: 'error',
          error: { code: 'JOVIAN_E_HOOK_TAP_FAILED', name: 'JovianError', message: 'boom' },
        }),
      ).toBe('JOVIAN_E_HOOK_TAP_FAILED: boom');
    });
  });

  describe('#formatDuration', () => {
    it('should show tenths under 10 ms, whole ms under a second, seconds above', () => {
      expect(formatDuration(0.42)).toBe('0.4 ms');
      expect(formatDuration(12.6)).toBe('13 ms');
      expect(formatDuration(1500)).toBe('1.5 s');
      expect(formatDuration(undefined)).toBeNull();
    });
  });
});
