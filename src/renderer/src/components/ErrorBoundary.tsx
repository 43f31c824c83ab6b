/**
 * Keeps one part of the screen failing alone: a loop whose recorded data cannot be shown
 * (damaged or hostile) breaks its own row or view, never the whole control room.
 */
import { Component, type ReactNode } from 'react'

interface Props {
  /** What to show instead, given the error. */
  fallback: (error: Error) => ReactNode
  /** When this changes (another loop selected), the part is tried again. */
  resetKey?: unknown
  children: ReactNode
}

interface State {
  error: Error | null
  key: unknown
}

export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null, key: this.props.resetKey }

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null
  }

  render(): ReactNode {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children
  }
}
