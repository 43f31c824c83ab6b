/** A form whose submit (Enter in a field, or its submit button) runs one action instead of navigating. */
import type { FormHTMLAttributes, ReactNode } from 'react'

type Props = Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit'> & { onSubmit: () => unknown; children: ReactNode }

export function SubmitForm({ onSubmit, children, ...rest }: Props) {
  return (
    <form
      {...rest}
      onSubmit={(e) => {
        e.preventDefault()
        void onSubmit()
      }}
    >
      {children}
    </form>
  )
}
