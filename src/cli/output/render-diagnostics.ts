import { formatLocation } from '../../errors.js';
import type { Diagnostic, ErrorData } from '../../types.js';
import { style } from './style.js';

const LABEL = {
  error: style.red('error'),
  warning: style.yellow('warning'),
  info: style.cyan('note'),
} as const;

/** `file:line:col: error: message [CODE]` then an indented hint. */
export function renderDiagnostic(diagnostic: Diagnostic): string {
  const place = diagnostic.where
    ? `${formatLocation(diagnostic.where)}: `
    : diagnostic.plugin
      ? `${diagnostic.plugin}: `
      : '';
  const head = `${place}${LABEL[diagnostic.severity]}: ${diagnostic.message} ${style.dim(`[${diagnostic.code}]`)}`;
  return diagnostic.hint ? `${head}\n    ${style.dim('hint:')} ${diagnostic.hint}` : head;
}

export function renderError(error: ErrorData): string {
  return renderDiagnostic({ ...error, severity: 'error' });
}
