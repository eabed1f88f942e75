// The end user, decided by the server: the field a descriptor names (Dify's `user`) is written by the
// proxy — a JSON object's field, or a multipart part rewritten while it streams — and whatever the
// browser sent in it is dropped. Which of the two follows from the request's Content-Type.
import { badRequest, type ProxyError } from './errors'
import { multipartBoundary } from './multipart'

export type EndUserRewrite =
  | { readonly kind: 'json'; readonly field: string; readonly value: string | undefined }
  | {
      readonly kind: 'multipart'
      readonly boundary: string
      readonly field: string
      readonly value: string | undefined
    }

export function endUserRewrite(
  field: string,
  contentType: string | null,
  value: string | undefined,
): EndUserRewrite | ProxyError {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  if (type === 'application/json') return { kind: 'json', field, value }
  const boundary = multipartBoundary(contentType)
  if (boundary) return { kind: 'multipart', boundary, field, value }
  return badRequest(
    `This endpoint expects a JSON object or a multipart/form-data body with a boundary (the server writes its ${field} field).`,
  )
}

/** The rewritten JSON body (small, capped by the upload limit), or the reason it cannot be rewritten. */
export function rewriteJson(text: string, field: string, value: string | undefined): string | ProxyError {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return badRequest('The JSON body could not be parsed.')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return badRequest('The JSON body must be an object.')
  }
  const { [field]: _fromClient, ...fields } = parsed as Record<string, unknown>
  return JSON.stringify(value === undefined ? fields : { ...fields, [field]: value })
}
