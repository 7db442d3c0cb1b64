import type { ChatStepView } from '../api/chat-types';
import { useI18n } from '../i18n/i18n';
import { formatDuration, stepSummary } from './step-summary';

/** Which plugin did what at each hook while a message went through the chat hooks. */
export function ChatTrace({ steps }: { readonly steps: readonly ChatStepView[] }) {
  const { t } = useI18n();
  if (steps.length === 0) return <p className="hint">{t('console.noSteps')}</p>;
  return (
    <table className="trace">
      <caption className="visually-hidden">{t('console.trace')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('console.plugin')}</th>
          <th scope="col">{t('console.hook')}</th>
          <th scope="col">{t('console.did')}</th>
          <th scope="col">{t('console.duration')}</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((step, index) => (
          // Steps are in the order they ran; the same plugin may tap a hook twice.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <tr key={index} data-outcome={step.outcome}>
            <td>{step.plugin}</td>
            <td>
              <code>{step.hook}</code>
            </td>
            <td className="trace-did">{stepSummary(step) ?? t('console.noAnswer')}</td>
            <td>{formatDuration(step.durationMs) ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
