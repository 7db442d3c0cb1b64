import type { IconButtonProps } from '@rjsf/utils';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages-en';

/**
 * rjsf's buttons for list items (add, remove, move, copy) as words, in the UI's language: its default
 * ones are Bootstrap icon fonts, which the UI does not load.
 */
function textButton(label: MessageKey) {
  return function TextButton({ icon, iconType, uiSchema, registry, className, ...button }: IconButtonProps) {
    const { t } = useI18n();
    return (
      <button type="button" {...button} className={`array-button ${className ?? ''}`}>
        {t(label)}
      </button>
    );
  };
}

export const ARRAY_BUTTONS = {
  AddButton: textButton('settings.add'),
  RemoveButton: textButton('settings.remove'),
  MoveUpButton: textButton('settings.moveUp'),
  MoveDownButton: textButton('settings.moveDown'),
  CopyButton: textButton('settings.copy'),
};
