/** Where a loop came from: forked from another loop here, or imported from a bundle. */
import type { LoopSummary } from '../../../../shared/contract'
import { ForkIcon, ImportIcon } from './Icons'

export function Lineage({ loop, parentName }: { loop: Pick<LoopSummary, 'parentLoopId' | 'readOnly'>; parentName: string | null }) {
  return (
    <>
      {loop.readOnly && (
        <span className="lineage imported" data-testid="lineage-imported" title="imported from a bundle: read-only until forked">
          <ImportIcon /> imported
        </span>
      )}
      {loop.parentLoopId && (
        <span className="lineage fork-of" data-testid="lineage-fork" title={`forked from ${loop.parentLoopId}`}>
          <ForkIcon /> fork of {parentName ?? loop.parentLoopId}
        </span>
      )}
    </>
  )
}
