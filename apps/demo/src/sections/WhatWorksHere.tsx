import { CapabilityReport } from '@voicekit/ui'

/** The capability report as a card of the page (it is a titled region of its own). */
export function WhatWorksHere() {
  return (
    <div id="what-works-here" className="demo-anchor">
      <CapabilityReport className="demo-card demo-capabilities" />
    </div>
  )
}
