/**
 * Webhooks configured in the Settings screen against the real core: a bad address is refused at
 * the field, a saved one receives the approval as Slack-compatible JSON on a local receiver, and
 * the link it carries opens that approval in the control room.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, launchExample, test } from './fixtures'

interface Post {
  path: string
  contentType: string | undefined
  body: { text: string; blocks: { type: string; elements?: { url?: string }[] }[] }
}

test('a webhook set in Settings receives the approval as Slack JSON, and its link opens the item', async ({ app: page, served }) => {
  const posts: Post[] = []
  const server: Server = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString('utf8')))
    req.on('end', () => {
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(text) as Post['body'] })
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/approvals`
  try {
    await page.getByTestId('nav-settings').click()
    const approvals = page.getByTestId('webhook-approval')
    await approvals.fill('ftp://example.com/hook')
    await expect(page.getByTestId('webhook-approval-error')).toHaveText('must be an http:// or https:// URL, like https://hooks.slack.com/services/…')
    await expect(page.getByTestId('webhook-save')).toBeDisabled()
    await approvals.fill(hook)
    await expect(page.getByTestId('webhook-approval-error')).toHaveCount(0)
    await page.getByTestId('webhook-why').fill('approvals go to the team channel')
    await page.getByTestId('webhook-save').click()
    await expect(page.getByTestId('webhook-saved')).toBeVisible()
    await expect(page.getByTestId('webhook-set-by')).toContainText('approvals go to the team channel')
    expect((await served.andon.handlers.getWebhooks({})).urls).toEqual({ escalation: null, approval: hook })

    const loopId = await launchExample(page, 'fix-the-tests', { name: 'hooked', autonomy: 'approve-every-action' })
    await expect.poll(() => posts.length, { timeout: 20_000 }).toBe(1)
    const [post] = posts
    expect(post.path).toBe('/hooks/approvals')
    expect(post.contentType).toBe('application/json')
    const callId = served.andon.supervisor.liveState(loopId).pendingCall!.callId
    const link = `http://127.0.0.1:${served.shell.port}/#/inbox/${encodeURIComponent(`${loopId}:approval:${callId}`)}`
    expect(post.body.text).toBe(`Andon: hooked waits for approval at iteration 1: verify (medium risk) wants approval (${link})`)
    expect(post.body.blocks.find((b) => b.type === 'actions')?.elements?.[0].url).toBe(link)
    expect(JSON.stringify(post.body)).not.toContain(served.shell.token)

    // The delivery is listed in Settings, and the link opens the approval.
    await page.getByTestId('nav-settings').click()
    await expect(page.getByTestId('webhook-deliveries')).toContainText('approval')
    await expect(page.getByTestId('webhook-deliveries')).toContainText('delivered · 1 attempt')
    await page.goto(link)
    await expect(page.getByTestId('approval-card').getByTestId('approval-tool')).toHaveText('verify')
  } finally {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  }
})
