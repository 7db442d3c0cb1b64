import { useEffect, useRef, useState } from 'react';
import { bridgeFor } from '../bridge/install-bridge';
import { usePluginMessagesStatus } from '../bridge/plugin-messages-store';
import { ContributionBoundary } from './contribution-boundary';
import { ContributionError } from './contribution-error';
import { type ContributionModule, importContribution, moduleUrl } from './contribution-module';

interface Props {
  readonly plugin: string;
  /** `panel` or `widget`: part of the element id and of the error's wording. */
  readonly kind: 'panel' | 'widget';
  readonly id: string;
  readonly module: string;
  /** Bumped when the plugin is reloaded: the module is imported again and remounted. */
  readonly version: number;
}

/**
 * A plugin's panel or widget: an element `plugin-<plugin>-<kind>-<id>` into which its module is
 * imported (when this is first shown, never before) and mounted with the plugin's bridge, once the
 * plugins' messages are loaded; `unmount` is called when it leaves the page, and before it is mounted
 * again in another language. A failure stays in this area, with a Retry button.
 */
export function ContributionMount(props: Props) {
  return (
    <ContributionBoundary plugin={props.plugin} kind={props.kind} id={props.id}>
      <MountedModule {...props} />
    </ContributionBoundary>
  );
}

function MountedModule({ plugin, kind, id, module, version }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const url = moduleUrl(module, version);
  // Mounted once the plugins' messages are in (so `bridge.i18n.t` answers from the first call), and
  // again in the other language when the user switches.
  const messages = usePluginMessagesStatus();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` and `locale` are not read: they mount again
  useEffect(() => {
    const target = element.current;
    if (target === null || !messages.loaded) return;
    let left = false;
    let mounted: ContributionModule | null = null;
    setError(null);
    void (async () => {
      try {
        const loaded = await importContribution(url);
        if (left) return;
        mounted = loaded;
        await loaded.mount(target, bridgeFor(plugin));
      } catch (failure) {
        if (left) return;
        console.error(`[plugin ${plugin}] ${kind} ${id} failed`, failure);
        setError(failure instanceof Error ? failure.message : String(failure));
      }
    })();
    return () => {
      left = true;
      if (mounted?.unmount) {
        try {
          void Promise.resolve(mounted.unmount(target)).catch((failure: unknown) =>
            console.error(`[plugin ${plugin}] ${kind} ${id}: unmount failed`, failure),
          );
        } catch (failure) {
          console.error(`[plugin ${plugin}] ${kind} ${id}: unmount failed`, failure);
        }
      }
      target.replaceChildren();
    };
  }, [plugin, kind, id, url, attempt, messages.loaded, messages.locale]);

  return (
    <div className="contribution">
      {error !== null && (
        <ContributionError
          plugin={plugin}
          kind={kind}
          id={id}
          message={error}
          onRetry={() => setAttempt((n) => n + 1)}
        />
      )}
      <div id={`plugin-${plugin}-${kind}-${id}`} ref={element} hidden={error !== null} />
    </div>
  );
}
