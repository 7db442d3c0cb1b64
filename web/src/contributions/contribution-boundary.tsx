import { Component, type ReactNode } from 'react';
import { ContributionError } from './contribution-error';

interface Props {
  readonly plugin: string;
  readonly kind: 'panel' | 'widget';
  readonly id: string;
  readonly children: ReactNode;
}

/** Keeps an error thrown while rendering a plugin's contribution inside its area (React error boundary). */
export class ContributionBoundary extends Component<Props, { readonly error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    console.error(
      `[plugin ${this.props.plugin}] ${this.props.kind} ${this.props.id} failed to render`,
      error,
    );
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <ContributionError
        plugin={this.props.plugin}
        kind={this.props.kind}
        id={this.props.id}
        message={this.state.error.message}
        onRetry={() => this.setState({ error: null })}
      />
    );
  }
}
