// Short-lived credentials for browsers, which cannot send a key header on a WebSocket: OpenAI's ephemeral client
// secrets (`ek_…`, good for new sessions until they expire, each carrying the session configuration it was minted
// with) and ElevenLabs' single-use tokens (15 minutes, consumed by the socket that uses them).
import { randomBytes } from 'node:crypto'

export const ELEVENLABS_TOKEN_MS = 15 * 60 * 1000

interface ClientSecret {
  /** Epoch ms. */
  expiresAt: number
  session: Record<string, unknown>
}

export class RealtimeTokens {
  private readonly secrets = new Map<string, ClientSecret>()
  private readonly singleUse = new Map<string, number>()

  /** `now`: the clock (epoch ms), for tests that need a credential to expire. */
  constructor(readonly now: () => number = Date.now) {}

  mintClientSecret(seconds: number, session: Record<string, unknown>): { value: string; expiresAt: number } {
    this.sweep()
    const value = `ek_${randomBytes(24).toString('hex')}`
    const expiresAt = this.now() + seconds * 1000
    this.secrets.set(value, { expiresAt, session })
    return { value, expiresAt }
  }

  /** The session configuration an unexpired client secret was minted with. */
  clientSecret(value: string): Record<string, unknown> | undefined {
    const secret = this.secrets.get(value)
    if (!secret) return undefined
    if (secret.expiresAt <= this.now()) {
      this.secrets.delete(value)
      return undefined
    }
    return secret.session
  }

  mintSingleUse(): string {
    this.sweep()
    const token = randomBytes(24).toString('base64url')
    this.singleUse.set(token, this.now() + ELEVENLABS_TOKEN_MS)
    return token
  }

  /** Whether the token is valid, without using it up. */
  hasSingleUse(token: string): boolean {
    const expiresAt = this.singleUse.get(token)
    return expiresAt !== undefined && expiresAt > this.now()
  }

  /** Whether the token is valid; a valid one is used up. */
  consumeSingleUse(token: string): boolean {
    const expiresAt = this.singleUse.get(token)
    this.singleUse.delete(token)
    return expiresAt !== undefined && expiresAt > this.now()
  }

  private sweep() {
    const now = this.now()
    for (const [key, secret] of this.secrets) if (secret.expiresAt <= now) this.secrets.delete(key)
    for (const [key, expiresAt] of this.singleUse) if (expiresAt <= now) this.singleUse.delete(key)
  }
}
