import { PHOTO_MAX_BYTES, type PhotoInput } from '../../domain/concerns'

// A photo taken on the phone (随手拍) is shrunk there before it is written: every
// member's phone holds it, so it is a JPEG of at most 1280 pixels on its longer side
// and PHOTO_MAX_BYTES, smaller still if it must be.

const SIDES = [1280, 1024, 800, 640] as const
const QUALITIES = [0.8, 0.65, 0.5] as const

async function jpeg(bitmap: ImageBitmap, side: number, quality: number): Promise<{ blob: Blob; width: number; height: number }> {
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height))
  const width = Math.max(1, Math.round(bitmap.width * scale))
  const height = Math.max(1, Math.round(bitmap.height * scale))
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height)
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality))
  if (!blob) throw new Error('no JPEG')
  return { blob, width, height }
}

const base64Of = async (blob: Blob): Promise<string> => {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

/** The photo as it will be written, or null if the file is not an image the browser can open. */
export async function shrinkPhoto(file: Blob): Promise<PhotoInput | null> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return null
  }
  try {
    for (const side of SIDES) {
      for (const quality of QUALITIES) {
        const made = await jpeg(bitmap, side, quality)
        if (made.blob.size <= PHOTO_MAX_BYTES) return { base64: await base64Of(made.blob), width: made.width, height: made.height }
      }
    }
    return null
  } finally {
    bitmap.close()
  }
}

/** A photo record's parts as an image address. */
export const photoSrc = (parts: readonly string[]): string => `data:image/jpeg;base64,${parts.join('')}`
