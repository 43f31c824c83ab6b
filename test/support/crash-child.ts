/**
 * A real Andon process for crash tests: launches (or, with no spec, just reconciles) loops in
 * a data dir and prints every committed event as one line, so the parent can SIGKILL it at a
 * chosen point. CRASH_CHILD_ENV (JSON) is the environment the core sees (API keys for a scripted server).
 */
import { createAndon } from '../../src/main/core/create-andon'
import { LoopSpecSchema } from '../../src/shared/spec'

async function main(): Promise<void> {
  const [dataDir, specJson] = process.argv.slice(2)
  const env = JSON.parse(process.env.CRASH_CHILD_ENV ?? '{}') as Record<string, string>
  const andon = await createAndon({ dataDir, env, hostLabel: 'crash child' })
  andon.onPush(({ event }) => {
    const tool = event.type === 'ToolStarted' ? event.data.tool : ''
    process.stdout.write(`EV ${event.loopId} ${event.version} ${event.type} ${tool}\n`)
  })
  if (specJson) {
    const loopId = await andon.supervisor.launch(LoopSpecSchema.parse(JSON.parse(specJson)))
    process.stdout.write(`LOOP ${loopId}\n`)
  }
}

void main()
