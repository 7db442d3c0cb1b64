import { useState } from 'react';
import type { ApiInstalledPackages } from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { rollbackPlugin, uninstallPlugin } from '../api/packages';
import { useI18n } from '../i18n/i18n';

type Installed = ApiInstalledPackages['installed'][number];

/**
 * "Uninstall" (asked to confirm; when enabled plugins require it, the refusal names them and offers to
 * disable them too) and "Roll back" (when a previous version is kept) for an installed plugin.
 */
export function PackageActions({
  name,
  installed,
  onDone,
  onError,
}: {
  readonly name: string;
  readonly installed: Installed;
  readonly onDone: (id: string) => void;
  readonly onError: (error: ApiError) => void;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [dependents, setDependents] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { id } = installed;

  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    work()
      .then(
        () => {
          setConfirming(false);
          setDependents(null);
          onDone(id);
        },
        (failure: unknown) => {
          const error = asApiError(failure);
          if (error.code === 'JOVIAN_E_UNINSTALL_REQUIRED') setDependents(error.message);
          else onError(error);
        },
      )
      .finally(() => setBusy(false));
  };

  if (confirming)
    return (
      <fieldset className="confirm" aria-label={t('package.uninstallNamed', { name })}>
        <p>{dependents ?? t('package.confirmUninstall', { name })}</p>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => run(() => uninstallPlugin(id, dependents !== null))}
        >
          {t(dependents ? 'package.uninstallCascade' : 'package.uninstall')}
        </button>
        <button
          type="button"
          className="quiet"
          disabled={busy}
          onClick={() => {
            setConfirming(false);
            setDependents(null);
          }}
        >
          {t('install.cancel')}
        </button>
      </fieldset>
    );
  return (
    <>
      {installed.kept.length > 0 && (
        <button
          type="button"
          disabled={busy}
          aria-label={t('package.rollbackNamed', { name })}
          title={t('package.rollbackHint')}
          onClick={() => run(() => rollbackPlugin(id))}
        >
          {t('package.rollback')}
        </button>
      )}
      <button
        type="button"
        disabled={busy}
        aria-label={t('package.uninstallNamed', { name })}
        onClick={() => setConfirming(true)}
      >
        {t('package.uninstall')}
      </button>
    </>
  );
}
