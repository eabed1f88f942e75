import { describe, expect, test } from 'vitest'
import { MalformedMultipartError, multipartBoundary, partName, rewriteMultipartField } from './multipart'
import { bytes, concatBytes } from './test-support/client'
import { sha256 } from './test-support/upstream'

const boundary = 'XyZ-boundary-42'

/** Feeds `body` through the rewriter in chunks of `size` bytes and returns the output. */
async function rewrite(body: Uint8Array, user: string | undefined, size: number): Promise<Uint8Array<ArrayBuffer>> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < body.length; at += size) controller.enqueue(body.slice(at, at + size))
      controller.close()
    },
  })
  return new Uint8Array(
    await new Response(source.pipeThrough(rewriteMultipartField(boundary, 'user', user))).arrayBuffer(),
  )
}

const parse = (body: Uint8Array<ArrayBuffer>) =>
  new Response(body, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }).formData()

// Audio that contains almost-delimiters: CRLF, `--`, and the delimiter but for its last character.
const audio = concatBytes(bytes(5_000, 9), '\r\n--XyZ-boundary-4X', bytes(100, 2), '--XyZ-bound', '\r\n-', bytes(3_000))
const body = concatBytes(
  'a preamble that servers ignore\r\n',
  `--${boundary}\r\nContent-Disposition: form-data; name="user"\r\n\r\nmallory\r\n`,
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
  audio,
  `\r\n--${boundary}  \r\nContent-Disposition: form-data; name=user\r\n\r\neve\r\n`,
  `--${boundary}\r\ncontent-disposition: form-data; name="language"\r\n\r\nen\r\n`,
  `--${boundary}--\r\nan epilogue`,
)

describe('rewriteMultipartField', () => {
  test.each([1, 2, 7, 16, 17, 64, 1_000, 100_000])('replaces every user part, in chunks of %i bytes', async (size) => {
    const form = await parse(await rewrite(body, 'user-alice', size))
    expect(form.getAll('user')).toEqual(['user-alice'])
    expect(form.get('language')).toBe('en')
    const file = form.get('file') as File
    expect(file.name).toBe('a.wav')
    expect(file.type).toBe('audio/wav')
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(audio))
  })

  test('the server user comes first, so that first-value parsers read it too', async () => {
    const text = new TextDecoder().decode(await rewrite(body, 'user-alice', 13))
    expect(text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="user"\r\n\r\nuser-alice\r\n`)).toBe(
      true,
    )
    expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true)
  })

  test('with no server user, the client ones are still dropped', async () => {
    const form = await parse(await rewrite(body, undefined, 5))
    expect(form.getAll('user')).toEqual([])
    expect(form.get('language')).toBe('en')
  })

  test('a body with no parts gets just the user', async () => {
    const form = await parse(await rewrite(concatBytes(`--${boundary}--\r\n`), 'u', 3))
    expect(form.getAll('user')).toEqual(['u'])
  })

  test.each([
    ['an unterminated body', concatBytes(`--${boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc`)],
    ['a body without any delimiter', concatBytes('just bytes')],
    ['a part without headers', concatBytes(`--${boundary}\r\n\r\nabc\r\n--${boundary}--\r\n`)],
    ['garbage after a delimiter', concatBytes(`--${boundary}xx\r\n\r\n--${boundary}--\r\n`)],
  ])('%s is refused', async (_name, malformed) => {
    const reported: MalformedMultipartError[] = []
    const source = new Response(malformed).body as ReadableStream<Uint8Array>
    const out = source.pipeThrough(rewriteMultipartField(boundary, 'user', 'u', (error) => reported.push(error)))
    await expect(new Response(out).arrayBuffer()).rejects.toBeInstanceOf(MalformedMultipartError)
    expect(reported).toHaveLength(1)
  })

  test('a user value that could inject a part is refused', () => {
    expect(() => rewriteMultipartField(boundary, 'user', `x\r\n--${boundary}`)).toThrow(TypeError)
  })
})

describe('partName', () => {
  test.each([
    ['Content-Disposition: form-data; name="file"; filename="a.wav"', 'file'],
    ['content-disposition: form-data; name=user', 'user'],
    ['Content-Disposition: form-data; NAME="user"', 'user'],
    ['Content-Disposition: form-data; filename="x; name=\\"user\\""; name="file"', 'file'],
    ['Content-Type: audio/wav\r\nContent-Disposition: form-data; name="a\\"b"', 'a"b'],
  ])('%s → %s', (headers, name) => {
    expect(partName(headers)).toBe(name)
  })

  test.each([
    ['two names', 'Content-Disposition: form-data; name="file"; name="user"'],
    ['an extended name', "Content-Disposition: form-data; name*=UTF-8''user"],
    ['two dispositions', 'Content-Disposition: form-data; name="a"\r\nContent-Disposition: form-data; name="user"'],
    ['a folded header', 'Content-Disposition: form-data;\r\n name="user"'],
    ['no name', 'Content-Disposition: form-data; filename="a.wav"'],
    ['no disposition', 'Content-Type: text/plain'],
    ['not form-data', 'Content-Disposition: attachment; name="user"'],
    ['junk parameters', 'Content-Disposition: form-data; name="a" junk'],
  ])('refuses %s', (_name, headers) => {
    expect(() => partName(headers)).toThrow(MalformedMultipartError)
  })
})

test('multipartBoundary', () => {
  expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc')
  expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b:c"')).toBe('a b:c')
  expect(multipartBoundary('multipart/form-data')).toBeUndefined()
  expect(multipartBoundary('application/json; boundary=abc')).toBeUndefined()
  expect(multipartBoundary(null)).toBeUndefined()
})
