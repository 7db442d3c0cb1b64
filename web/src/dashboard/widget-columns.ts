// `.js` paths: test/unit/web imports this file under Node's rules.
import type { ApiWidget } from '../../../src/server/api-types.js';

/** The dashboard's mount points, in the order of its columns. */
export const DASHBOARD_MOUNT_POINTS = ['dashboard.main', 'dashboard.right_column'] as const;

export interface WidgetColumns {
  readonly main: readonly ApiWidget[];
  readonly right: readonly ApiWidget[];
  /** Widgets asking for a mount point the dashboard does not have: listed, not mounted. */
  readonly unknown: readonly ApiWidget[];
}

/** Sorts the widgets into the dashboard's columns, keeping the server's order in each. */
export function widgetColumns(widgets: readonly ApiWidget[]): WidgetColumns {
  return {
    main: widgets.filter((widget) => widget.mountPoint === 'dashboard.main'),
    right: widgets.filter((widget) => widget.mountPoint === 'dashboard.right_column'),
    unknown: widgets.filter(
      (widget) => !(DASHBOARD_MOUNT_POINTS as readonly string[]).includes(widget.mountPoint),
    ),
  };
}
