import Form from '@rjsf/core';
import type { ErrorSchema, RJSFSchema } from '@rjsf/utils';
import { useState } from 'react';
import type {
  ApiConfigChange,
  ApiConfigIssue,
  ApiPluginConfig,
  JsonSchema,
} from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { putPluginConfig } from '../api/plugin-config';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { ARRAY_BUTTONS } from './array-buttons';
import { ChangeList } from './change-list';
import { changedValues } from './changed-values';
import { createInterpretedValidator } from './interpreted-validator';
import { issueErrors, plain } from './issue-errors';
import './settings.css';

type Values = Record<string, unknown>;
const validator = createInterpretedValidator();
/** What the frame shows under its buttons after the last action. */
type Outcome =
  | { readonly kind: 'preview'; readonly changes: readonly ApiConfigChange[] }
  | { readonly kind: 'saved'; readonly changes: readonly ApiConfigChange[]; readonly file: string }
  | { readonly kind: 'refused'; readonly issues: readonly ApiConfigIssue[] }
  | { readonly kind: 'failed'; readonly error: ApiError };

interface SettingsFormProps {
  readonly id: string;
  /** The config as last read or saved; its schema is not null. */
  readonly config: ApiPluginConfig & { readonly schema: JsonSchema };
  /** Called with the values a save answered. */
  readonly onSaved: (values: Readonly<Record<string, unknown>>) => void;
}

/**
 * A form built by rjsf from the plugin's config_schema. Preview asks the server what would change
 * (`?dry_run=1`), Save writes; both send only the top-level keys edited. rjsf's own validation is off
 * (`noValidate`): the server checks the keys together against the same schema, with the project's
 * overrides, and its answer is the one shown, next to each field by its JSON pointer and listed above
 * the form. Loaded apart (settings-section.tsx imports it lazily): rjsf and ajv are most of its weight.
 */
export default function SettingsForm({ id, config, onSaved }: SettingsFormProps) {
  const { t } = useI18n();
  const [edited, setEdited] = useState<Values | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const saved = config.values;
  const formData = edited ?? saved;

  const send = async (dryRun: boolean) => {
    setBusy(true);
    try {
      const answer = await putPluginConfig(id, changedValues(saved, formData), dryRun);
      if (!dryRun && answer.values) {
        onSaved(answer.values);
        setEdited(null);
      }
      setOutcome(
        dryRun
          ? { kind: 'preview', changes: answer.changes }
          : { kind: 'saved', changes: answer.changes, file: answer.file ?? config.file },
      );
    } catch (failure) {
      const apiError = asApiError(failure);
      setOutcome(
        apiError.issues.length > 0
          ? { kind: 'refused', issues: apiError.issues }
          : { kind: 'failed', error: apiError },
      );
    } finally {
      setBusy(false);
    }
  };
  const fieldErrors: ErrorSchema | undefined =
    outcome?.kind === 'refused' ? issueErrors(outcome.issues) : undefined;

  return (
    <div className="settings-frame">
      <p className="hint">{t('settings.file', { file: config.file })}</p>
      {outcome?.kind === 'refused' && (
        <div className="settings-refused" role="alert">
          <strong>{t('settings.refused')}</strong>
          <ul>
            {outcome.issues.map((issue) => (
              <li key={`${issue.pointer} ${issue.message}`}>{plain(issue.message)}</li>
            ))}
          </ul>
        </div>
      )}
      {outcome?.kind === 'failed' && <ErrorBanner error={outcome.error} />}
      <Form<Values, RJSFSchema>
        schema={config.schema as RJSFSchema}
        formData={formData}
        validator={validator}
        noValidate
        noHtml5Validate
        templates={{ ButtonTemplates: ARRAY_BUTTONS }}
        showErrorList={false}
        extraErrors={fieldErrors}
        disabled={busy}
        onChange={(event) => setEdited(event.formData ?? {})}
        onSubmit={() => void send(false)}
      >
        <div className="settings-actions">
          <button type="button" disabled={busy} onClick={() => void send(true)}>
            {t('settings.preview')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('settings.save')}
          </button>
        </div>
      </Form>
      {outcome?.kind === 'preview' && (
        <div className="settings-outcome" role="status">
          <strong>{t('settings.previewTitle')}</strong>
          <ChangeList changes={outcome.changes} />
        </div>
      )}
      {outcome?.kind === 'saved' && (
        <div className="settings-outcome saved" role="status">
          <strong>{t('settings.saved', { file: outcome.file })}</strong>
          <ChangeList changes={outcome.changes} />
        </div>
      )}
    </div>
  );
}
