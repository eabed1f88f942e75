// pocketsphinx 5 removed pocketsphinx_continuous (its one program is `pocketsphinx`). Where only that is
// installed, the message says so and what would help, instead of "not installed" right after installing it.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { createSpeechToText, EngineMissingError } from '../src/engines/stt.ts'

let bin: string
let savedPath: string | undefined

beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'pocketsphinx-5-'))
  savedPath = process.env.PATH
  process.env.PATH = bin
})
afterEach(() => {
  process.env.PATH = savedPath
  rmSync(bin, { recursive: true, force: true })
})

function install(name: string) {
  const path = join(bin, name)
  writeFileSync(path, '#!/bin/sh\nexit 0\n')
  chmodSync(path, 0o755)
  return path
}

test('only pocketsphinx 5 on PATH: the message names the missing program and the remedy, not "not installed"', () => {
  const newer = install('pocketsphinx')
  const stt = createSpeechToText({ modelDir: '/usr/share/pocketsphinx/model/en-us' })
  let error: unknown
  try {
    stt.check()
  } catch (caught) {
    error = caught
  }
  expect(error).toBeInstanceOf(EngineMissingError)
  const message = (error as Error).message
  expect(message).toContain('pocketsphinx_continuous')
  expect(message).toContain('pocketsphinx 5')
  expect(message).toContain(newer)
  expect(message).toContain('SPEECH_SERVER_POCKETSPHINX')
  expect(message).not.toMatch(/is not installed/)
})

test('nothing on PATH: the plain "not installed" message with the packages to install', () => {
  expect(() => createSpeechToText().check()).toThrow(
    /speech recognition is not installed .*apt-get install -y pocketsphinx pocketsphinx-en-us/,
  )
})

test('pocketsphinx_continuous on PATH (and the model present): ready', () => {
  install('pocketsphinx_continuous')
  install('pocketsphinx')
  expect(() => createSpeechToText({ modelDir: '/usr/share/pocketsphinx/model/en-us' }).check()).not.toThrow()
})
