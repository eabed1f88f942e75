import type { ReactNode } from 'react'

export interface SectionProps {
  /** The anchor the navigation links to, and the screenshot's name. */
  id: string
  title: string
  /** One sentence: what this part of the library does. */
  lead?: ReactNode
  /** The components it shows, named as a developer would import them. */
  uses?: string
  children: ReactNode
}

/** A demo card: a titled region the page's navigation links to. */
export function Section({ id, title, lead, uses, children }: SectionProps) {
  return (
    <section className="demo-card" id={id} aria-labelledby={`${id}-title`} data-screenshot={id}>
      <header className="demo-card__head">
        <h2 id={`${id}-title`}>{title}</h2>
        {uses && <code className="demo-uses">{uses}</code>}
      </header>
      {lead && <p className="demo-lead">{lead}</p>}
      {children}
    </section>
  )
}
